import { expect } from 'chai';
import {
  formatReference,
  nextReference,
  referencePreview,
  validReferencePattern,
} from '../../server/engine/reference-pattern.js';
import { barredUsers } from '../../server/engine/separation-of-duties.js';
import { mayStart } from '../../server/engine/starters.js';
import type { ProcessAttributes, TaskHistoryRecord } from '../../server/engine/types.js';

const attrs = (starterGroups: string[], starterUsers: string[] = []): ProcessAttributes => ({
  starterGroups,
  starterUsers,
  separateFrom: {},
});

const done = (elementId: string, endedBy: string, outcome: 'completed' | 'cancelled' = 'completed') =>
  ({ elementId, endedBy, outcome }) as TaskHistoryRecord;

describe('engine/reference-pattern, separation-of-duties, starters', () => {
  it('should fill the Solar Hijri year and pad the counter to the run of #', () => {
    expect(formatReference('POL-{year}-###', 1405, 7)).to.equal('POL-1405-007');
    expect(formatReference('POL-{year}-###', 1405, 1234)).to.equal('POL-1405-1234');
    expect(referencePreview('TRP/{year}/##', 1405)).to.equal('TRP/1405/##');
  });

  it('should accept only patterns with one run of # and no spaces or markup', () => {
    expect(validReferencePattern('POL-{year}-###')).to.equal(true);
    expect(validReferencePattern('POL-{year}')).to.equal(false);
    expect(validReferencePattern('#-{year}-#')).to.equal(false);
    expect(validReferencePattern('<b>-##')).to.equal(false);
  });

  it('should count per process per year', async () => {
    // given
    const counters = new Map<string, number>();
    const next = async (name: string) => {
      counters.set(name, (counters.get(name) ?? 0) + 1);
      return counters.get(name)!;
    };
    // when: 21 March 2026 is 1 Farvardin 1405
    const a = await nextReference('p', 'P-{year}-##', new Date('2026-03-19T12:00:00Z'), next);
    const b = await nextReference('p', 'P-{year}-##', new Date('2026-03-22T12:00:00Z'), next);
    const c = await nextReference('p', 'P-{year}-##', new Date('2026-03-23T12:00:00Z'), next);
    // then
    expect([a, b, c]).to.deep.equal(['P-1404-01', 'P-1405-01', 'P-1405-02']);
  });

  it('should bar the completers of the named tasks and, for a start event, the starter', () => {
    // given
    const history = [
      done('draft', 'ali'),
      done('draft', 'sara'),
      done('review', 'omid'),
      done('draft', 'x', 'cancelled'),
    ];
    // when
    const fromDraft = barredUsers(['draft'], { startedBy: 'zia' }, history, ['start']);
    const fromStart = barredUsers(['start'], { startedBy: 'zia' }, history, ['start']);
    // then
    expect([...fromDraft].sort()).to.deep.equal(['ali', 'sara']);
    expect([...fromStart]).to.deep.equal(['zia']);
  });

  it('should let members of starter groups, starter users and admins start, and working roles when none are named', () => {
    const staff = { id: 'ali', roles: ['staff' as const], groups: ['legal'] };
    const chair = { id: 'chair', roles: ['leadership' as const], groups: ['leadership'] };
    const admin = { id: 'root', roles: ['admin' as const], groups: [] };
    expect(mayStart(attrs(['plan-policy']), staff)).to.equal(false);
    expect(mayStart(attrs(['plan-policy', 'legal']), staff)).to.equal(true);
    expect(mayStart(attrs([], ['ali']), staff)).to.equal(true);
    expect(mayStart(attrs(['plan-policy']), admin)).to.equal(true);
    expect(mayStart(attrs([]), staff)).to.equal(true);
    expect(mayStart(attrs([]), chair)).to.equal(false);
    expect(mayStart(attrs(['leadership']), chair)).to.equal(true);
  });
});

import { expect } from 'chai';
import { buildDueDate, parseDueDate } from '../../../client/src/modeller/office-panel/due-date.js';

describe('client/modeller/office-panel/due-date', () => {
  it('should read back every rule the builder writes', () => {
    // given
    const rules = [
      { kind: 'after-start', days: 5 },
      { kind: 'after-variable', days: 2, variable: 'requestedBy' },
      { kind: 'variable', variable: 'deadline' },
    ] as const;
    for (const rule of rules) {
      // when
      const feel = buildDueDate(rule);
      // then
      expect(parseDueDate(feel)).to.deep.equal(rule);
    }
  });

  it('should write the FEEL of the office conventions', () => {
    expect(buildDueDate({ kind: 'after-start', days: 5 })).to.equal('=addWorkingDays(now(), 5)');
    expect(buildDueDate({ kind: 'after-variable', days: 3, variable: 'received' })).to.equal(
      '=addWorkingDays(received, 3)',
    );
    expect(buildDueDate({ kind: 'variable', variable: 'deadline' })).to.equal('=deadline');
    expect(buildDueDate({ kind: 'none' })).to.equal(undefined);
  });

  it('should keep an expression it cannot build as custom, and read ${name} and spacing variants', () => {
    expect(parseDueDate('=addWorkingHours(now(), 4)')).to.deep.equal({
      kind: 'custom',
      text: '=addWorkingHours(now(), 4)',
    });
    expect(parseDueDate('${deadline}')).to.deep.equal({ kind: 'variable', variable: 'deadline' });
    expect(parseDueDate('= addWorkingDays( now() ,10 )')).to.deep.equal({ kind: 'after-start', days: 10 });
    expect(parseDueDate('')).to.deep.equal({ kind: 'none' });
    expect(parseDueDate('=now()')).to.deep.equal({ kind: 'custom', text: '=now()' });
  });
});

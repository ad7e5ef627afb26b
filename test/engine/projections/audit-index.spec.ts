import { expect } from 'chai';
import { matchesAudit, type AuditFilter } from '../../../server/engine/audit-search.js';
import { AuditIndex } from '../../../server/engine/projections/audit-index.js';
import { decodeAuditPart, encodeAuditPart } from '../../../server/engine/projections/audit-index-codec.js';
import type { AuditEvent } from '../../../server/engine/types.js';

const ACTORS = ['system', 'plan-policy.officer', 'plan-policy.head', 'auditor', 'chair'];
const TYPES = [
  'instance.started',
  'instance.completed',
  'task.claimed',
  'task.completed',
  'definition.deployed',
];
const T0 = Date.parse('2025-03-01T04:30:00.000Z');

/** A chain of `n` entries with seeded actors, types and times (times go back now and then when `jitter`). */
function chain(n: number, jitter: boolean): AuditEvent[] {
  let s = 7;
  const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
  let t = T0;
  return Array.from({ length: n }, (_, i) => {
    t += Math.floor(rnd() * 3_600_000);
    const at = jitter && rnd() < 0.1 ? t - Math.floor(rnd() * 7_200_000) : t;
    return {
      seq: i + 1,
      at: new Date(at).toISOString(),
      actor: ACTORS[Math.floor(rnd() * ACTORS.length)]!,
      type: TYPES[Math.floor(rnd() * TYPES.length)]!,
      prevHash: '',
      hash: '',
    };
  });
}

function filters(entries: AuditEvent[]): AuditFilter[] {
  const mid = entries[Math.floor(entries.length / 2)]!.at;
  const late = entries[Math.floor(entries.length * 0.8)]!.at;
  const out: AuditFilter[] = [{}];
  for (const actor of [undefined, 'auditor', 'nobody'])
    for (const kind of [undefined, 'task.', 'task.completed', 'none.'])
      for (const [from, to] of [
        [undefined, undefined],
        [mid, undefined],
        [undefined, mid],
        [mid, late],
        [late, mid],
      ] as const) {
        const f: AuditFilter = {};
        if (actor) f.actor = actor;
        if (kind) f.kind = kind;
        if (from) f.from = from;
        if (to) f.to = to;
        out.push(f);
      }
  return out;
}

describe('engine/projections/audit-index', () => {
  for (const jitter of [false, true])
    it(`should answer every filter as a plain filter of the entries does (${jitter ? 'times that go back' : 'times in order'})`, () => {
      // given
      const entries = chain(3000, jitter);
      const index = new AuditIndex();
      for (const e of entries) expect(index.append(e)).to.equal(true);
      for (const f of filters(entries)) {
        const plain = entries.filter((e) => matchesAudit(f, e)).map((e) => e.seq);
        for (const [skip, limit] of [
          [0, 50],
          [40, 7],
          [plain.length - 3, 50],
        ] as const) {
          // when
          const desc = index.search(f, Math.max(0, skip), limit, 'desc');
          const asc = index.search(f, Math.max(0, skip), limit, 'asc');
          // then
          const label = JSON.stringify({ f, skip, limit });
          expect(desc.total, label).to.equal(plain.length);
          expect(asc.total, label).to.equal(plain.length);
          expect(desc.seqs, label).to.deep.equal(
            [...plain].reverse().slice(Math.max(0, skip), Math.max(0, skip) + limit),
          );
          expect(asc.seqs, label).to.deep.equal(plain.slice(Math.max(0, skip), Math.max(0, skip) + limit));
        }
        expect([...index.matching(f, 64)].flat(), JSON.stringify(f)).to.deep.equal(plain);
      }
    });

  it('should refuse a seq that is not the next one', () => {
    // given
    const [a, b, c] = chain(3, false);
    const index = new AuditIndex();
    // when / then
    expect(index.append(b!)).to.equal(false);
    expect(index.append(a!)).to.equal(true);
    expect(index.append(a!)).to.equal(false);
    expect(index.append(c!)).to.equal(false);
    expect(index.size).to.equal(1);
  });

  it('should give back the same rows from a stored part', async () => {
    // given
    const entries = chain(1000, true);
    const index = new AuditIndex();
    for (const e of entries) index.append(e);
    // when
    const copy = new AuditIndex(index.actors.names, index.types.names);
    copy.appendColumns(await decodeAuditPart(await encodeAuditPart(index.columns(0, 1000))));
    // then
    for (const e of entries)
      expect(copy.row(e.seq)).to.deep.equal({ seq: e.seq, at: e.at, actor: e.actor, type: e.type });
    expect(copy.search({ actor: 'auditor', kind: 'task.' }, 0, 10)).to.deep.equal(
      index.search({ actor: 'auditor', kind: 'task.' }, 0, 10),
    );
  });
});

import { expect } from 'chai';
import { auditPage, matchesAudit, type AuditFilter } from '../../server/engine/audit-search.js';
import type { AuditEvent } from '../../server/engine/types.js';

const T0 = Date.parse('2025-03-01T04:30:00.000Z');

/** `n` entries, oldest first, by two actors in turn. */
function chain(n: number): AuditEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    at: new Date(T0 + i * 60_000).toISOString(),
    actor: i % 3 ? 'plan-policy.officer' : 'auditor',
    type: i % 2 ? 'task.completed' : 'task.claimed',
    prevHash: '',
    hash: '',
  }));
}

async function* read(entries: AuditEvent[]): AsyncIterable<AuditEvent> {
  for (const e of entries) yield e;
}

describe('engine/audit-search', () => {
  it('should page a scan as a plain filter of the whole chain does, in both orders and deep pages', async () => {
    // given
    const entries = chain(250);
    const filters: AuditFilter[] = [
      {},
      { actor: 'plan-policy.officer' },
      { kind: 'task.claimed' },
      { actor: 'x' },
    ];
    for (const f of filters)
      for (const [skip, limit] of [
        [0, 5],
        [5, 5],
        [0, 1000],
        [97, 3],
        [160, 40],
        [400, 10],
      ] as const)
        for (const order of ['desc', 'asc'] as const) {
          const plain = entries.filter((e) => matchesAudit(f, e)).map((e) => e.seq);
          if (order === 'desc') plain.reverse();
          // when
          const page = await auditPage(read(entries), f, skip, limit, order);
          // then
          const label = JSON.stringify({ f, skip, limit, order });
          expect(page.total, label).to.equal(plain.length);
          expect(
            page.items.map((e) => e.seq),
            label,
          ).to.deep.equal(plain.slice(skip, skip + limit));
        }
  });
});

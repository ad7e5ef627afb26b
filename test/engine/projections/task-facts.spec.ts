import { expect } from 'chai';
import { isLate, TaskFacts, type TaskFact } from '../../../server/engine/projections/task-facts.js';

const fact = (id: string, endedAt: string, dueAt?: string): TaskFact => ({
  id,
  instanceId: `inst-${id}`,
  key: 'trip',
  elementId: 'review',
  groups: ['legal'],
  createdAt: '2024-01-01T00:00:00.000Z',
  endedAt,
  ...(dueAt ? { dueAt } : {}),
  outcome: 'completed',
});

describe('engine/projections/task-facts', () => {
  it('should call a task late by its times, whether written by toISOString or with an offset', () => {
    // given / when / then: text comparison for canonical times, parsing otherwise
    expect(isLate(fact('a', '2024-01-02T10:00:00.001Z', '2024-01-02T10:00:00.000Z'))).to.equal(true);
    expect(isLate(fact('b', '2024-01-02T10:00:00.000Z', '2024-01-02T10:00:00.000Z'))).to.equal(false);
    // 10:00Z is 14:30 in Kabul: before a 15:00+04:30 deadline, after a 14:00+04:30 one
    expect(isLate(fact('c', '2024-01-02T10:00:00.000Z', '2024-01-02T15:00:00+04:30'))).to.equal(false);
    expect(isLate(fact('d', '2024-01-02T10:00:00.000Z', '2024-01-02T14:00:00+04:30'))).to.equal(true);
    expect(isLate(fact('e', '2024-01-02T10:00:00.000Z'))).to.equal(false);
  });

  it('should keep facts in end order whether a long list comes sorted or not', () => {
    // given: 2,000 facts in end order, and the same facts shuffled
    const sorted = Array.from({ length: 2000 }, (_, i) =>
      fact(`t${i}`, new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString()),
    );
    const shuffled = [...sorted].sort((a, b) => (a.id.length - b.id.length) * 7 + (a.id < b.id ? 1 : -1));
    // when
    const inOrder = new TaskFacts();
    inOrder.applyMany(sorted);
    const outOfOrder = new TaskFacts();
    outOfOrder.applyMany(shuffled);
    // then
    expect([...outOfOrder.all()].map((f) => f.id)).to.deep.equal(sorted.map((f) => f.id));
    expect([...inOrder.all()].map((f) => f.id)).to.deep.equal(sorted.map((f) => f.id));
  });
});

import { expect } from 'chai';
import { InstanceIndex } from '../../../server/engine/projections/instance-index.js';
import { computeFigures, percentile } from '../../../server/engine/projections/leadership-figures.js';
import { TaskFacts, type TaskFact } from '../../../server/engine/projections/task-facts.js';
import type { InstanceEntry } from '../../../server/engine/projections/instance-entry.js';
import type { InstanceRecord } from '../../../server/engine/stores.js';

const H = 3_600_000;
const at = (h: number) => new Date(Date.UTC(2026, 5, 1) + h * H).toISOString();

function ended(id: string, key: string, start: number, end: number): InstanceEntry {
  return {
    id,
    key,
    version: 1,
    status: 'completed',
    rev: 3,
    startedAt: at(start),
    endedAt: at(end),
    startedBy: 'a',
  };
}

function fact(
  id: string,
  instanceId: string,
  groups: string[],
  created: number,
  end: number,
  due?: number,
): TaskFact {
  return {
    id,
    instanceId,
    key: 'p',
    elementId: 'review',
    groups,
    createdAt: at(created),
    endedAt: at(end),
    outcome: 'completed',
    ...(due !== undefined ? { dueAt: at(due) } : {}),
  };
}

describe('engine/projections/leadership-figures', () => {
  it('should take nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).to.equal(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).to.equal(9);
    expect(percentile([7], 95)).to.equal(7);
    expect(percentile([], 50)).to.equal(0);
  });

  it('should count SLA per process, directorate and province, instances with a late task, cycle times and element durations', () => {
    // given: two instances ended in the period (one with a late task), one before it, one running
    const index = new InstanceIndex();
    index.apply(ended('i1', 'p', 0, 10));
    index.apply(ended('i2', 'p', 0, 30));
    index.apply(ended('old', 'p', -500, -400));
    const running = {
      id: 'r',
      key: 'p',
      version: 1,
      status: 'running',
      rev: 1,
      startedAt: at(1),
      startedBy: 'a',
    };
    index.apply({
      ...running,
      status: 'running',
      record: {
        waiting: [{ elementId: 'review', executionId: 'x', type: 'bpmn:UserTask' }],
      } as unknown as InstanceRecord,
    } as InstanceEntry);
    const facts = new TaskFacts();
    facts.apply(fact('t1', 'i1', ['plan-policy'], 0, 4, 5));
    facts.apply(fact('t2', 'i2', ['province-kab', 'plan-policy'], 0, 20, 8));
    facts.apply(fact('t3', 'i2', ['herat-office'], 20, 26));
    facts.apply(fact('t1', 'i1', ['plan-policy'], 0, 4, 5)); // a replay changes nothing
    const groups = new Map([
      ['plan-policy', { kind: 'directorate' }],
      ['herat-office', { kind: 'province', province: 'her' }],
      ['province-kab', { kind: 'province', province: 'kab' }],
    ]);
    // when
    const m = computeFigures({
      index,
      facts,
      openTasks: [],
      group: (id) => groups.get(id),
      from: at(0),
      to: at(48),
      now: new Date(at(48)),
    });
    // then
    expect(m.sla).to.deep.equal({ openOverdue: 0, completedLate: 1, completedOnTime: 1 });
    expect(m.slaByProcess).to.deep.equal([
      { key: 'p', tasksOnTime: 1, tasksLate: 1, instancesWithin: 1, instancesLate: 1 },
    ]);
    expect(m.slaByDirectorate).to.deep.equal([{ group: 'plan-policy', onTime: 1, late: 1 }]);
    expect(m.slaByProvince).to.deep.equal([{ province: 'kab', onTime: 0, late: 1 }]);
    expect(m.cycleTime).to.deep.equal([{ key: 'p', completed: 2, averageMs: 20 * H }]);
    expect(m.cycleTimePercentiles).to.deep.equal([
      { key: 'p', completed: 2, p50Ms: 10 * H, p90Ms: 30 * H, p95Ms: 30 * H },
    ]);
    expect(m.elementDurations).to.deep.equal([
      { key: 'p', elementId: 'review', count: 3, averageMs: 10 * H, p90Ms: 20 * H },
    ]);
    expect(m.waitingTokens).to.deep.equal([{ key: 'p', version: 1, elementId: 'review', count: 1 }]);
    expect(m.instances).to.deep.equal([
      { key: 'p', status: 'completed', count: 3 },
      { key: 'p', status: 'running', count: 1 },
    ]);
    expect(m.weekly).to.have.length(52);
    expect(m.weekly.reduce((n, w) => n + w.started, 0)).to.equal(4);
    expect(m.weekly.reduce((n, w) => n + w.ended, 0)).to.equal(3);
    expect(m.weekly.at(-1)!.ended).to.equal(2);
  });

  it('should give on a later call, after more facts and instances arrived, what a computation from scratch gives', () => {
    // given: figures computed once (each fact's and instance's times parsed and kept), then a late task of an
    // instance counted within its deadline so far, and a second element with durations out of order
    const build = (more: boolean) => {
      const index = new InstanceIndex();
      const facts = new TaskFacts();
      index.apply(ended('i1', 'p', 0, 10));
      index.apply(ended('i2', 'q', 2, 40));
      facts.apply(fact('t1', 'i1', ['plan-policy'], 0, 4, 5));
      if (more) {
        index.apply(ended('i3', 'p', 1, 6));
        facts.apply(fact('t2', 'i1', ['province-kab'], 4, 9, 6));
        facts.apply({ ...fact('t3', 'i2', ['herat-office', 'plan-policy'], 3, 30), elementId: 'sign' });
        facts.apply({ ...fact('t4', 'i2', ['plan-policy'], 30, 31), elementId: 'sign' });
      }
      return { index, facts };
    };
    const groups = new Map([
      ['plan-policy', { kind: 'directorate' }],
      ['herat-office', { kind: 'province', province: 'her' }],
      ['province-kab', { kind: 'province', province: 'kab' }],
    ]);
    const figures = (s: ReturnType<typeof build>) =>
      computeFigures({
        ...s,
        openTasks: [],
        group: (id) => groups.get(id),
        from: at(0),
        to: at(48),
        now: new Date(at(48)),
      });
    const live = build(false);
    figures(live);
    live.index.apply(ended('i3', 'p', 1, 6));
    live.facts.apply(fact('t2', 'i1', ['province-kab'], 4, 9, 6));
    live.facts.apply({ ...fact('t3', 'i2', ['herat-office', 'plan-policy'], 3, 30), elementId: 'sign' });
    live.facts.apply({ ...fact('t4', 'i2', ['plan-policy'], 30, 31), elementId: 'sign' });
    // when
    const later = figures(live);
    // then
    expect(later).to.deep.equal(figures(build(true)));
    expect(later.slaByProcess.find((r) => r.key === 'p')).to.include({
      instancesWithin: 1,
      instancesLate: 1,
    });
    expect(later.elementDurations.find((r) => r.elementId === 'sign')).to.deep.equal({
      key: 'p',
      elementId: 'sign',
      count: 2,
      averageMs: 14 * H,
      p90Ms: 27 * H,
    });
  });
});

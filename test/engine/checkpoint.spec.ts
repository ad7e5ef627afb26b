import { expect } from 'chai';
import {
  buildCheckpoint,
  type CheckpointContext,
  type EngineSnapshot,
} from '../../server/engine/checkpoint.js';
import type { WaitInfo } from '../../server/engine/live.js';
import type { InstanceRecord } from '../../server/engine/stores.js';
import type { Actor, TaskRecord } from '../../server/engine/types.js';

const NOW = '2026-11-28T06:00:00.000Z';
const alice: Actor = { id: 'alice', groups: ['staff'], roles: ['staff'] };

function record(patch: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    id: 'i1',
    definitionId: 'leave:1',
    key: 'leave',
    version: 1,
    status: 'running',
    rev: 3,
    variables: { days: 2 },
    waiting: [],
    startedAt: '2026-11-27T06:00:00.000Z',
    startedBy: 'alice',
    state: '{"old":true}',
    openTasks: [],
    jobs: [],
    inFlight: [],
    pendingHistory: [],
    ...patch,
  };
}

function snapshot(patch: Partial<EngineSnapshot> = {}): EngineSnapshot {
  return {
    ran: true,
    ended: false,
    state: '{"new":true}',
    variables: { days: 2 },
    waits: [],
    calls: [],
    timers: [],
    transitions: [],
    ...patch,
  };
}

function context(patch: Partial<CheckpointContext> = {}): CheckpointContext {
  return {
    actor: alice,
    command: 'task.completed',
    engineRan: true,
    now: NOW,
    definition: {
      names: new Map([['approve', { fa: 'تایید', en: 'Approve' }]]),
      compiled: { name: { fa: 'رخصتی', en: 'Leave' } },
    },
    ...patch,
  };
}

const approveWait: WaitInfo = {
  elementId: 'approve',
  executionId: 'approve_1',
  type: 'bpmn:UserTask',
  content: { ravand: { candidateGroups: ['hr'], priority: 70, createdAt: NOW } },
  signal: () => undefined,
};

function openTask(executionId: string, elementId = 'review'): TaskRecord {
  return {
    id: `i1:${executionId}`,
    instanceId: 'i1',
    definitionKey: 'leave',
    definitionVersion: 1,
    elementId,
    executionId,
    name: { fa: elementId, en: elementId },
    processName: { fa: 'رخصتی', en: 'Leave' },
    candidateGroups: [],
    candidateUsers: [],
    priority: 50,
    createdAt: NOW,
  };
}

describe('engine/checkpoint', () => {
  it('should open a task for a new user task wait and audit and emit its creation once', () => {
    // given an instance with no open task and an engine now waiting in `approve`
    const prev = record();
    // when the checkpoint is built
    const { next, audit, emits } = buildCheckpoint(prev, snapshot({ waits: [approveWait] }), context());
    // then the task is open with its resolved attributes, the rev moved on and the engine state replaced
    expect(next.rev).to.equal(4);
    expect(next.state).to.equal('{"new":true}');
    expect(next.openTasks).to.have.length(1);
    expect(next.openTasks[0]).to.include({ id: 'i1:approve_1', elementId: 'approve', priority: 70 });
    expect(next.openTasks[0]!.name).to.deep.equal({ fa: 'تایید', en: 'Approve' });
    expect(next.waiting).to.deep.equal([
      { elementId: 'approve', executionId: 'approve_1', type: 'bpmn:UserTask' },
    ]);
    expect(audit.map((a) => a.type)).to.deep.equal(['task.completed', 'task.created']);
    expect(audit.filter((a) => a.type === 'task.completed')).to.have.length(1);
    expect(emits.map(([e]) => e)).to.deep.equal(['task.created', 'instance.waiting']);
  });

  it('should keep an open task record as it was while its wait goes on', () => {
    // given a task already open (claimed by alice)
    const claimed = { ...openTask('approve_1', 'approve'), assignee: 'alice' };
    const prev = record({ openTasks: [claimed] });
    // when another command checkpoints with the same wait
    const { next, audit } = buildCheckpoint(
      prev,
      snapshot({ waits: [approveWait] }),
      context({ command: 'timer.fired' }),
    );
    // then the record is the same object, and nothing is created again
    expect(next.openTasks).to.deep.equal([claimed]);
    expect(audit.map((a) => a.type)).to.deep.equal(['timer.fired']);
  });

  it('should cancel tasks that vanished without being completed, but not the one the command completed', () => {
    // given two open tasks; the command completes one, a boundary event removes the other
    const done = openTask('review_1');
    const gone = openTask('legal_1', 'legal');
    const prev = record({ openTasks: [done, gone] });
    const history = [{ ...done, outcome: 'completed' as const, endedAt: NOW, endedBy: 'alice' }];
    // when the engine waits in neither any more
    const { next, audit, emits } = buildCheckpoint(prev, snapshot(), context({ history }));
    // then the completed one goes to history as completed, the other as cancelled
    expect(next.openTasks).to.deep.equal([]);
    expect(next.pendingHistory.map((h) => [h.id, h.outcome])).to.deep.equal([
      ['i1:review_1', 'completed'],
      ['i1:legal_1', 'cancelled'],
    ]);
    expect(audit.map((a) => a.type)).to.deep.equal(['task.completed', 'task.cancelled']);
    expect(emits.map(([e]) => e)).to.deep.equal(['task.cancelled', 'instance.waiting']);
  });

  it('should audit changed variables with the command and put the transitions after it', () => {
    // given a command whose engine changed one variable and completed an element
    const transition = {
      at: NOW,
      actor: 'alice',
      type: 'element.completed',
      instanceId: 'i1',
      elementId: 'review',
    };
    // when the checkpoint is built
    const { audit } = buildCheckpoint(
      record({ variables: { days: 2, note: 'x' } }),
      snapshot({ variables: { days: 3 }, transitions: [transition] }),
      context({ data: { form: true }, taskId: 'i1:review_1', elementId: 'review' }),
    );
    // then the command entry carries its data and the change (a removed variable as null), then the transition
    expect(audit[0]).to.deep.equal({
      at: NOW,
      actor: 'alice',
      type: 'task.completed',
      instanceId: 'i1',
      taskId: 'i1:review_1',
      elementId: 'review',
      data: { form: true, variables: { days: 3, note: null } },
    });
    expect(audit[1]).to.deep.equal(transition);
  });

  it('should complete the instance when the process ended: no state, no waits, no jobs', () => {
    // given an instance with a start request's variables and a timer job
    const prev = record({
      startVariables: { days: 2 },
      jobs: [{ id: 'i1:t', instanceId: 'i1', elementId: 't', executionId: 't', type: 'timer', dueAt: NOW }],
    });
    // when the engine reached its end
    const { next, audit, emits } = buildCheckpoint(prev, snapshot({ ended: true }), context());
    // then it is completed, with its end time, and the completion is audited and emitted
    expect(next).to.include({ status: 'completed', endedAt: NOW });
    expect(next).not.to.have.property('state');
    expect(next).not.to.have.property('startVariables');
    expect(next.jobs).to.deep.equal([]);
    expect(audit.map((a) => a.type)).to.deep.equal(['task.completed', 'instance.completed']);
    expect(emits.map(([e]) => e)).to.deep.equal(['instance.completed']);
  });

  it('should checkpoint timers as jobs and services in flight as waits', () => {
    // given an engine with a timer armed and a service call still running
    const snap = snapshot({
      timers: [{ elementId: 'remind', executionId: 'remind_1', dueAt: NOW, timer: { timeDuration: 'PT1H' } }],
      calls: [{ elementId: 'archive', executionId: 'archive_1' }],
    });
    // when the checkpoint is built
    const { next } = buildCheckpoint(record(), snap, context());
    // then the timer is a job and the service a wait in flight
    expect(next.jobs).to.deep.equal([
      {
        id: 'i1:remind_1',
        instanceId: 'i1',
        elementId: 'remind',
        executionId: 'remind_1',
        type: 'timer',
        dueAt: NOW,
        timer: { timeDuration: 'PT1H' },
      },
    ]);
    expect(next.inFlight).to.deep.equal(['archive_1']);
    expect(next.waiting).to.deep.equal([
      { elementId: 'archive', executionId: 'archive_1', type: 'bpmn:ServiceTask' },
    ]);
  });

  it('should raise an incident for an uncaught service failure and emit it once', () => {
    // given a service that failed with no boundary event for its code
    const incident = { elementId: 'archive', message: 'disk full', code: 'E_FULL', at: NOW };
    // when the checkpoint is built
    const { next, audit, emits, rolledBack } = buildCheckpoint(record(), snapshot({ incident }), context());
    // then the instance keeps its new state but is failed, with the incident audited and emitted
    expect(rolledBack).to.equal(undefined);
    expect(next).to.include({ status: 'failed', state: '{"new":true}' });
    expect(next.incident).to.deep.equal(incident);
    expect(audit.at(-1)).to.deep.include({
      type: 'incident.raised',
      data: { message: 'disk full', code: 'E_FULL' },
    });
    expect(emits.map(([e]) => e)).to.deep.equal(['instance.failed', 'incident.raised']);
  });

  it('should roll an engine error back to the previous checkpoint with one command entry marked rolledBack', () => {
    // given a command in which the engine raised an error
    const prev = record({ inFlight: ['x'], openTasks: [openTask('review_1')] });
    const snap = snapshot({
      engineError: { message: 'bad expression', elementId: 'route' },
      waits: [approveWait],
      transitions: [
        { at: NOW, actor: 'alice', type: 'element.completed', instanceId: 'i1', elementId: 'review' },
      ],
    });
    // when the checkpoint is built
    const { next, audit, emits, rolledBack } = buildCheckpoint(prev, snap, context({ data: { form: true } }));
    // then the previous state is kept (tasks and all), failed, with the incident; the command's effects are dropped
    expect(rolledBack).to.deep.equal({ elementId: 'route', message: 'bad expression', at: NOW });
    expect(next).to.include({ status: 'failed', rev: 4, state: '{"old":true}' });
    expect(next.openTasks).to.deep.equal(prev.openTasks);
    expect(next.inFlight).to.deep.equal([]);
    expect(audit).to.deep.equal([
      {
        at: NOW,
        actor: 'alice',
        type: 'task.completed',
        instanceId: 'i1',
        data: { rolledBack: true, form: true },
      },
      {
        at: NOW,
        actor: 'alice',
        type: 'incident.raised',
        instanceId: 'i1',
        elementId: 'route',
        data: { message: 'bad expression' },
      },
    ]);
    expect(emits.map(([e]) => e)).to.deep.equal(['instance.failed', 'incident.raised']);
  });

  it('should resolve the incident of a failed instance that runs again', () => {
    // given a failed instance being retried
    const prev = record({
      status: 'failed',
      incident: { elementId: 'archive', message: 'disk full', at: NOW },
    });
    // when the retried engine runs to its next wait
    const { next, emits } = buildCheckpoint(
      prev,
      snapshot({ waits: [approveWait] }),
      context({ command: 'instance.retried' }),
    );
    // then it runs again without the incident
    expect(next.status).to.equal('running');
    expect(next).not.to.have.property('incident');
    expect(emits.map(([e]) => e)).to.deep.equal(['task.created', 'incident.resolved', 'instance.waiting']);
  });

  it('should leave a suspended instance suspended and emit no waiting event for a step without the engine', () => {
    // given a suspended instance
    const prev = record({ status: 'suspended' });
    // when a command that did not run the engine checkpoints it
    const { next, emits } = buildCheckpoint(prev, snapshot({ ran: false }), context({ engineRan: false }));
    // then its state and status stay
    expect(next).to.include({ status: 'suspended', state: '{"old":true}', rev: 4 });
    expect(emits).to.deep.equal([]);
  });
});

import type { RuntimeEvents, TaskRecord, WorkflowRuntime, InstanceSummary } from '../engine/types.js';
import { rooms, type InstanceUpdatedEvent } from '../../schemas/events.js';
import type { EventLog } from './event-log.js';

/** Rooms that hear about a task: whoever it is offered to, and watchers of its instance. */
export function taskRooms(task: TaskRecord): string[] {
  const out = [rooms.instance(task.instanceId)];
  if (task.assignee) out.push(rooms.user(task.assignee));
  for (const u of task.candidateUsers) out.push(rooms.user(u));
  for (const g of task.candidateGroups) out.push(rooms.group(g));
  return out;
}

function instanceRooms(instance: InstanceSummary): string[] {
  return [rooms.instance(instance.id), rooms.dashboard, rooms.user(instance.startedBy)];
}

/** The users a task may not be offered to although its groups hold them (the four-eyes rule). */
export type BarredFrom = (task: TaskRecord) => Promise<ReadonlySet<string>>;

/**
 * The one place where runtime events (`task.created`, emitted after the checkpoint) become wire events
 * (`task:created`). `onChange` is told about anything that moves the dashboards' figures. A task's offer
 * (created, claimed, unclaimed, assigned) is kept from the users `barredFrom` names, in every room they are in.
 */
export function forwardRuntimeEvents(
  runtime: WorkflowRuntime,
  eventLog: EventLog,
  onChange: () => void,
  barredFrom: BarredFrom = () => Promise.resolve(new Set()),
): () => void {
  const barredRooms = (task: TaskRecord) =>
    barredFrom(task).then((users) => [...users].map((u) => rooms.user(u)));
  // who held each open task last, so a delegation also tells the person it was taken from (bounded)
  const holders = new Map<string, string | undefined>();
  const remember = (task: TaskRecord) => {
    holders.delete(task.id);
    holders.set(task.id, task.assignee);
    if (holders.size > 20_000) holders.delete(holders.keys().next().value!);
  };
  const instanceChange = (change: InstanceUpdatedEvent['change']) => (p: { instance: InstanceSummary }) => {
    void eventLog.publish('instance:updated', instanceRooms(p.instance), { instance: p.instance, change });
    onChange();
  };
  const taskUpdate =
    (change: 'claimed' | 'unclaimed' | 'assigned') => (p: { task: TaskRecord; by: string }) => {
      const before = holders.get(p.task.id);
      remember(p.task);
      const to = taskRooms(p.task);
      if (before && before !== p.task.assignee) to.push(rooms.user(before));
      void eventLog.publish(
        'task:updated',
        to,
        { task: p.task, change, by: p.by },
        { except: barredRooms(p.task) },
      );
      onChange();
    };

  const listeners: { [E in keyof RuntimeEvents]?: (payload: RuntimeEvents[E]) => void } = {
    'task.created': (p) => {
      remember(p.task);
      void eventLog.publish(
        'task:created',
        taskRooms(p.task),
        { task: p.task },
        { except: barredRooms(p.task) },
      );
      onChange();
    },
    'task.claimed': taskUpdate('claimed'),
    'task.unclaimed': taskUpdate('unclaimed'),
    'task.assigned': taskUpdate('assigned'),
    'task.completed': (p) => {
      holders.delete(p.task.id);
      void eventLog.publish('task:completed', taskRooms(p.task), { task: p.task });
      onChange();
    },
    'task.cancelled': (p) => {
      holders.delete(p.task.id);
      void eventLog.publish('task:completed', taskRooms(p.task), { task: p.task });
      onChange();
    },
    'instance.started': instanceChange('started'),
    'instance.waiting': instanceChange('waiting'),
    'instance.completed': instanceChange('completed'),
    'instance.failed': instanceChange('failed'),
    'instance.cancelled': instanceChange('cancelled'),
    'instance.suspended': instanceChange('suspended'),
    'instance.resumed': instanceChange('resumed'),
    'instance.migrated': instanceChange('migrated'),
    'incident.resolved': instanceChange('incident-resolved'),
    'incident.raised': (p) => {
      void eventLog.publish('incident:raised', instanceRooms(p.instance), {
        instance: p.instance,
        incident: p.incident,
      });
      onChange();
    },
  };

  for (const [name, listener] of Object.entries(listeners)) {
    runtime.events.on(name as keyof RuntimeEvents, listener as never);
  }
  return () => {
    for (const [name, listener] of Object.entries(listeners)) {
      runtime.events.off(name as keyof RuntimeEvents, listener as never);
    }
  };
}

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

/**
 * The one place where runtime events (`task.created`, emitted after the checkpoint) become wire events
 * (`task:created`). `onChange` is told about anything that moves the dashboards' figures.
 */
export function forwardRuntimeEvents(
  runtime: WorkflowRuntime,
  eventLog: EventLog,
  onChange: () => void,
): () => void {
  const instanceChange = (change: InstanceUpdatedEvent['change']) => (p: { instance: InstanceSummary }) => {
    void eventLog.publish('instance:updated', instanceRooms(p.instance), { instance: p.instance, change });
    onChange();
  };
  const taskUpdate =
    (change: 'claimed' | 'unclaimed' | 'assigned') => (p: { task: TaskRecord; by: string }) => {
      void eventLog.publish('task:updated', taskRooms(p.task), { task: p.task, change, by: p.by });
      onChange();
    };

  const listeners: { [E in keyof RuntimeEvents]?: (payload: RuntimeEvents[E]) => void } = {
    'task.created': (p) => {
      void eventLog.publish('task:created', taskRooms(p.task), { task: p.task });
      onChange();
    },
    'task.claimed': taskUpdate('claimed'),
    'task.unclaimed': taskUpdate('unclaimed'),
    'task.assigned': taskUpdate('assigned'),
    'task.completed': (p) => {
      void eventLog.publish('task:completed', taskRooms(p.task), { task: p.task });
      onChange();
    },
    'task.cancelled': (p) => {
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

import type { Connection } from 'mongoose';
import { entryOf, isEnded, storedEntry, type InstanceEntry } from '../engine/projections/instance-entry.js';
import { factOf, type TaskFact } from '../engine/projections/task-facts.js';
import type { TaskHistoryRecord } from '../engine/types.js';
import { auditFromDoc, type AuditDoc } from './audit-store.js';
import { instanceFromDoc, type InstanceDoc } from './instance-store.js';

/** Every projection as it follows from the records, worked out afresh. */
export interface RebuiltProjections {
  /** One entry per instance (an ended record wins over a left-over active copy), without `record`. */
  entries: Map<string, InstanceEntry>;
  facts: Map<string, TaskFact>;
  /** Per instance: the seqs of its audit entries, ascending. */
  audit: Map<string, number[]>;
  /** Per instance: the ids of its ended tasks, sorted. */
  tasks: Map<string, string[]>;
}

/**
 * Rebuilds the projections from the records themselves (the instances' checkpoints, task history, the audit
 * chain) by reading each collection whole: what the projections kept on write must equal this. A full scan,
 * for specs and repair tools, never for a read a person waits for.
 */
export async function rebuildProjections(conn: Connection): Promise<RebuiltProjections> {
  const entries = new Map<string, InstanceEntry>();
  for (const name of ['instance_history', 'instances']) {
    for await (const d of conn.collection(name).find({})) {
      const e = storedEntry(entryOf(instanceFromDoc(d as unknown as InstanceDoc)));
      const had = entries.get(e.id);
      if (!had || (!isEnded(had.status) && isEnded(e.status))) entries.set(e.id, e);
    }
  }
  const facts = new Map<string, TaskFact>();
  const tasks = new Map<string, string[]>();
  for await (const d of conn.collection('task_history').find({})) {
    const h = JSON.parse((d as unknown as { record: string }).record) as TaskHistoryRecord;
    facts.set(h.id, factOf(h));
    tasks.set(h.instanceId, [...(tasks.get(h.instanceId) ?? []), h.id]);
  }
  for (const list of tasks.values()) list.sort();
  const audit = new Map<string, number[]>();
  for await (const d of conn.collection('events').find({})) {
    const e = auditFromDoc(d as unknown as AuditDoc);
    if (e.instanceId) audit.set(e.instanceId, [...(audit.get(e.instanceId) ?? []), e.seq]);
  }
  for (const list of audit.values()) list.sort((a, b) => a - b);
  return { entries, facts, audit, tasks };
}

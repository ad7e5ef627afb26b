import type { Connection } from 'mongoose';
import { entryOf, isEnded, storedEntry, type InstanceEntry } from '../engine/projections/instance-entry.js';
import { factOf, type TaskFact } from '../engine/projections/task-facts.js';
import type { TaskHistoryRecord } from '../engine/types.js';
import type { ProjectionStore, TrailAddition } from '../engine/projections/projection-store.js';
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

/**
 * Makes the projections of a database written before they existed (once; a marker records it): the trails,
 * day buckets and task facts worked out from the records by `rebuildProjections`, and the comments' trails.
 * A fresh database only gets the marker. Runs before the runtime starts, so nothing writes meanwhile.
 */
export async function ensureProjections(conn: Connection, store: ProjectionStore): Promise<void> {
  if (await store.getMeta('projections')) return;
  const rebuilt = await rebuildProjections(conn);
  const ended = [...rebuilt.entries.values()].filter((e) => isEnded(e.status));
  for (let i = 0; i < ended.length; i += 2000) await store.addEnded(ended.slice(i, i + 2000));
  const facts = [...rebuilt.facts.values()];
  for (let i = 0; i < facts.length; i += 2000) await store.addFacts(facts.slice(i, i + 2000));
  const comments = new Map<string, string[]>();
  for await (const d of conn.collection('task_comments').find({}, { projection: { instanceId: 1 } })) {
    const c = d as unknown as { _id: string; instanceId: string };
    comments.set(c.instanceId, [...(comments.get(c.instanceId) ?? []), c._id]);
  }
  const ids = new Set([...rebuilt.audit.keys(), ...rebuilt.tasks.keys(), ...comments.keys()]);
  const additions: TrailAddition[] = [...ids].map((instanceId) => ({
    instanceId,
    audit: rebuilt.audit.get(instanceId) ?? [],
    tasks: rebuilt.tasks.get(instanceId) ?? [],
    comments: comments.get(instanceId) ?? [],
  }));
  for (let i = 0; i < additions.length; i += 500) await store.addTrail(additions.slice(i, i + 500));
  await store.setMeta('projections', {
    version: 1,
    at: new Date().toISOString(),
    instances: rebuilt.entries.size,
  });
}

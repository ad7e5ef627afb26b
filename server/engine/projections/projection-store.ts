import type { AuditEvent, TaskHistoryRecord } from '../types.js';
import type { InstanceEntry } from './instance-entry.js';
import type { TaskFact } from './task-facts.js';

/** What an instance's own record points at: its audit entries, ended tasks and comments, each read by `_id`. */
export interface InstanceTrail {
  audit: number[];
  tasks: string[];
  comments: string[];
}

/** Additions to one instance's trail (idempotent: an id already there stays once). */
export interface TrailAddition {
  instanceId: string;
  audit?: number[];
  tasks?: string[];
  comments?: string[];
}

/**
 * Where the projections live in the database, as documents read by `_id` only: ended instances bucketed by the
 * day they ended, ended tasks' facts bucketed by the day they ended, one trail per instance, and small named
 * documents (the audit chain's head, the verified checkpoint). Every write is idempotent, so a batch of
 * derived records that is written again after a failure or a crash changes nothing.
 */
export interface ProjectionStore {
  addEnded(entries: InstanceEntry[]): Promise<void>;
  addFacts(facts: TaskFact[]): Promise<void>;
  /** Every ended entry (duplicates possible; the index keeps one). */
  loadEnded(): Promise<InstanceEntry[]>;
  loadFacts(): Promise<TaskFact[]>;
  addTrail(additions: TrailAddition[]): Promise<void>;
  trail(instanceId: string): Promise<InstanceTrail | undefined>;
  /** Ended tasks by id (one `_id` read each); missing ones are left out. */
  readTaskHistory(ids: string[]): Promise<TaskHistoryRecord[]>;
  /** Audit entries by seq (one `_id` read each); missing ones are left out. */
  readAudit(seqs: number[]): Promise<AuditEvent[]>;
  getMeta<T extends object>(id: string): Promise<T | undefined>;
  setMeta(id: string, value: object): Promise<void>;
}

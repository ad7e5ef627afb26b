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

/** The head of the projections' compact copy (`ReadModel.snapshot`): its parts and where the tail starts. */
export interface SnapshotHead {
  /** Snapshot number: its parts are `snap:<id>:ended:<n>` and `snap:<id>:tasks:<n>`. */
  id: number;
  parts: { ended: number; tasks: number };
  /** The first generation of touched days a load replays from the day buckets (see `ProjectionStore`). */
  replayFrom: number;
  /** The parts' format (`PART_FORMAT` of snapshot-codec); absent for the first one. */
  format?: number;
  at: string;
  instances: number;
  facts: number;
}

/** A snapshot as read back: its head and its compressed parts, in order. */
export interface StoredSnapshot {
  head: SnapshotHead;
  ended: Buffer[];
  tasks: Buffer[];
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
  /** The command keys of the audit entries after seq `after`, read by `_id` up to the first seq missing. */
  auditKeysAfter(after: number): Promise<string[]>;
  /** Audit entries by seq (one `_id` read each); missing ones are left out. */
  readAudit(seqs: number[]): Promise<AuditEvent[]>;
  /** Day buckets of these days (one `_id` read each), for replaying the tail after a snapshot. */
  loadEndedDays(days: string[]): Promise<InstanceEntry[]>;
  loadFactsDays(days: string[]): Promise<TaskFact[]>;
  /**
   * Every bucket write records its day in the current generation's touched list before it writes the bucket.
   * This starts the next generation (its list exists before any write names it) and returns the one before.
   */
  nextGeneration(): Promise<number>;
  /** The days touched in generations `from`, `from + 1`, … (consecutive, up to the last one that exists). */
  touchedSince(from: number): Promise<{ ended: string[]; tasks: string[] }>;
  readSnapshot(): Promise<StoredSnapshot | undefined>;
  /** Writes the parts, then the head; then drops the previous snapshot's parts and generations before the new one's. */
  writeSnapshot(head: SnapshotHead, ended: Buffer[], tasks: Buffer[]): Promise<void>;
  getMeta<T extends object>(id: string): Promise<T | undefined>;
  setMeta(id: string, value: object): Promise<void>;
}

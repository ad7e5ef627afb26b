import mongoose, { type Collection, type Connection } from 'mongoose';
import type { AuditIndexHead, AuditIndexStore } from '../engine/projections/audit-index-keeper.js';
import type { AuditEvent } from '../engine/types.js';
import { auditFromDoc, auditModel, type AuditDoc } from './audit-store.js';
import { findByIds, inOrderOf } from './by-ids.js';
import { updateLane, type UpdateLane } from './update-lane.js';

const { Binary } = mongoose.mongo;
type Binary = InstanceType<typeof Binary>;

/** What the index reads of the chain: streamed whole (its first build only), and its end. */
export interface AuditChainReads {
  scanAudit(): AsyncIterable<AuditEvent>;
  lastSeq(): Promise<number>;
}

/**
 * The audit index in `read_models`, by `_id` only: its parts `auditidx:part:<n>` (binary) and its head
 * `auditidx:head`. The same documents serve MongoDB.
 */
export class MongoAuditIndexStore implements AuditIndexStore {
  private readonly models: Collection;
  private readonly events: Collection;
  private readonly lane: UpdateLane;

  constructor(
    conn: Connection,
    private readonly chain: AuditChainReads,
  ) {
    this.models = conn.collection('read_models');
    this.events = auditModel(conn).collection;
    this.lane = updateLane(conn);
  }

  async readHead(): Promise<AuditIndexHead | undefined> {
    const d = (await this.models.findOne({ _id: 'auditidx:head' } as never)) as {
      value?: AuditIndexHead;
    } | null;
    return d?.value;
  }

  async readPart(n: number): Promise<Buffer | undefined> {
    const d = (await this.models.findOne({ _id: `auditidx:part:${n}` } as never)) as { data?: Binary } | null;
    return d?.data ? Buffer.from(d.data.buffer) : undefined;
  }

  async writePart(n: number, data: Buffer): Promise<void> {
    await this.lane.run(() =>
      this.models.replaceOne({ _id: `auditidx:part:${n}` } as never, { data: new Binary(data) } as never, {
        upsert: true,
      }),
    );
  }

  async writeHead(head: AuditIndexHead): Promise<void> {
    await this.lane.run(() =>
      this.models.replaceOne({ _id: 'auditidx:head' } as never, { value: head } as never, { upsert: true }),
    );
  }

  /** Entries by seq, in order, through the `_id` index (`findByIds`); missing ones are left out. */
  async readAudit(seqs: number[]): Promise<AuditEvent[]> {
    return inOrderOf(seqs, await findByIds<AuditDoc>(this.events, seqs)).map(auditFromDoc);
  }

  scanAudit(): AsyncIterable<AuditEvent> {
    return this.chain.scanAudit();
  }

  lastSeq(): Promise<number> {
    return this.chain.lastSeq();
  }
}

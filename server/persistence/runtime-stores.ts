import type { AuditStore, RuntimeStores } from '../engine/stores.js';
import type { AuditEvent } from '../engine/types.js';
import { MongoAuditStore } from './audit-store.js';
import { MongoCounterStore } from './counter-store.js';
import type { Database } from './database.js';
import { MongoDefinitionStore } from './definition-store.js';
import { MongoInstanceStore } from './instance-store.js';
import { MongoJobStore } from './job-store.js';
import { MongoServiceCallStore } from './service-call-store.js';
import { MongoSubscriptionStore } from './subscription-store.js';
import { MongoTaskHistoryStore } from './task-history-store.js';
import { MongoTaskStore } from './task-store.js';
import { MongoRuntimeMetaStore } from './runtime-meta-store.js';
import { MongoCheckpointStore } from './checkpoint-store.js';
import { MongoProjectionStore } from './mongo-projection-store.js';
import { updateLane } from './update-lane.js';
import { ensureProjections } from './projection-rebuild.js';
import { withProjections, type RecordStores } from '../engine/projections/projecting-stores.js';
import type { ReadModel } from '../engine/projections/read-model.js';
import { AuditVerifier } from '../engine/projections/audit-verifier.js';
import { AuditIndexKeeper } from '../engine/projections/audit-index-keeper.js';
import { MongoAuditIndexStore } from './audit-index-store.js';

/** The projections of the last runtime stores created on a database (for the HTTP layer beside them). */
const projectionsByDb = new WeakMap<Database, Projections>();

/** What the HTTP layer reads beside the runtime: the read model, the audit chain and its verifier. */
export interface Projections {
  readModel: ReadModel;
  /** The chain as the runtime reads it: one instance's entries through its trail (`_id` reads), not a scan. */
  auditReader: Pick<AuditStore, 'byInstance' | 'scan'>;
  auditVerifier: AuditVerifier;
  /** The auditor's desk's index of the chain (seq → time, actor, type), kept on every append. */
  auditIndex: AuditIndexKeeper;
  /** Audit entries by seq (one `_id` read each); missing ones are left out. */
  readAudit(seqs: number[]): Promise<AuditEvent[]>;
}

/** The projections kept by the runtime stores created on `db`, if any. */
export function projectionsOf(db: Database): Projections | undefined {
  return projectionsByDb.get(db);
}

/**
 * The runtime's stores on a mongoose connection, with the read projections kept in their writes (see
 * `withProjections`); creates their collections and indexes. `readModel` serves instance search and the
 * dashboard (loaded in the background on first use: call `readModel.ready()` to start it).
 */
export async function createRuntimeStores(db: Database): Promise<RuntimeStores & Projections> {
  if (db.flavour === 'mongodb') updateLane(db.conn).parallel();
  const tasks = new MongoTaskStore(db.conn);
  const stores: RecordStores = {
    definitions: new MongoDefinitionStore(db.conn),
    instances: new MongoInstanceStore(db.conn),
    tasks,
    taskHistory: new MongoTaskHistoryStore(db.conn),
    jobs: new MongoJobStore(db.conn),
    audit: new MongoAuditStore(db.conn),
    counters: new MongoCounterStore(db.conn),
    serviceCalls: new MongoServiceCallStore(db.conn),
    subscriptions: new MongoSubscriptionStore(db.conn),
    meta: new MongoRuntimeMetaStore(db.conn),
    checkpoints: new MongoCheckpointStore(db.conn, tasks, db.flavour === 'mongodb'),
  };
  await db.ensureIndexes();
  await MongoProjectionStore.ensureCollections(db.conn);
  const projectionStore = new MongoProjectionStore(db.conn);
  // a database from before the projections: made once from its records
  await ensureProjections(db.conn, projectionStore);
  const projected = withProjections(stores, projectionStore, () => tasks.snapshot());
  const auditIndexStore = new MongoAuditIndexStore(db.conn, {
    scanAudit: () => projectionStore.scanAudit(),
    lastSeq: async () => (await projected.stores.audit.last())?.seq ?? 0,
  });
  const auditIndex = new AuditIndexKeeper(auditIndexStore);
  const readAudit = (seqs: number[]) => auditIndexStore.readAudit(seqs);
  // every append to the chain reaches the index once it is stored (the runtime and crash repair alike)
  const audit: AuditStore = {
    ...projected.stores.audit,
    async insertMany(events, keys) {
      await projected.stores.audit.insertMany(events, keys);
      auditIndex.applyAppended(events);
    },
  };
  const auditVerifier = new AuditVerifier({
    lastSeq: async () => (await audit.last())?.seq ?? 0,
    read: (seqs) => projectionStore.readAudit(seqs),
    scan: () => projectionStore.scanAudit(),
    getMeta: (id) => projectionStore.getMeta(id),
    setMeta: (id, value) => projectionStore.setMeta(id, value),
  });
  const projections = {
    readModel: projected.readModel,
    auditReader: audit,
    auditVerifier,
    auditIndex,
    readAudit,
  };
  projectionsByDb.set(db, projections);
  return { ...projected.stores, audit, ...projections };
}

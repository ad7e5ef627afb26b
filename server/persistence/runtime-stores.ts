import type { RuntimeStores } from '../engine/stores.js';
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

/** The runtime's stores on a mongoose connection; creates their collections and indexes. */
export async function createRuntimeStores(db: Database): Promise<RuntimeStores> {
  const tasks = new MongoTaskStore(db.conn);
  const stores: RuntimeStores = {
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
  return stores;
}

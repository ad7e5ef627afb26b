/**
 * bench:history's data set after it is built: the first start's one-time work (the read model loaded from
 * every day bucket, then its snapshot written, as a server does on a database without one), and a fresh copy
 * of the prepared set for each run, so that every run starts from the same state and a rerun is quick.
 */
import fs from 'node:fs';
import path from 'node:path';
import { connectDatabase } from '../server/persistence/database.js';
import { startEmbeddedDb } from '../server/persistence/embedded-db.js';
import { createRuntimeStores } from '../server/persistence/runtime-stores.js';
import { packState } from '../server/persistence/instance-store.js';
import { MongoProjectionStore } from '../server/persistence/mongo-projection-store.js';
import { PART_FORMAT } from '../server/engine/projections/snapshot-codec.js';
import type { SnapshotHead } from '../server/engine/projections/projection-store.js';
import { projectRoot } from '../server/project-root.js';

/** What the one-time preparation took. */
export interface Prepared {
  /** The read model loaded from every day bucket (what the first start of this version does once). */
  bucketLoadMs: number;
  snapshotMs: number;
}

/** Loads the read model of the set in `dir` from its day buckets and writes its snapshot, unless done already. */
export async function prepareDataSet(dir: string): Promise<Prepared> {
  const embedded = await startEmbeddedDb({ dataDir: dir, cacheDir: path.join(projectRoot(), '.cache') });
  const db = await connectDatabase(embedded.uri);
  try {
    const markers = db.conn.collection('bench_marker');
    const marker = (await markers.findOne({ _id: 'history' } as never)) as { prepared?: Prepared } | null;
    if (marker?.prepared) return marker.prepared;
    const stores = await createRuntimeStores(db);
    let t0 = performance.now();
    await stores.readModel.ready();
    const bucketLoadMs = Math.round(performance.now() - t0);
    t0 = performance.now();
    await stores.readModel.snapshot();
    const prepared = { bucketLoadMs, snapshotMs: Math.round(performance.now() - t0) };
    await markers.updateOne({ _id: 'history' } as never, { $set: { prepared } } as never);
    return prepared;
  } finally {
    await db.close();
    await embedded.stop();
  }
}

/**
 * Rewrites the snapshot of the set in `dir` in the current part format when it is older (what the first start
 * of this version does once, in the background), so that the timed restarts read the current format; the
 * prepared set itself stays as it is (other versions of the bench may read it). Returns the ms it took, or 0.
 */
export async function upgradeSnapshot(dir: string): Promise<number> {
  const embedded = await startEmbeddedDb({ dataDir: dir, cacheDir: path.join(projectRoot(), '.cache') });
  const db = await connectDatabase(embedded.uri);
  try {
    const head = await new MongoProjectionStore(db.conn).getMeta<SnapshotHead>('snapshot');
    if (!head || (head.format ?? 1) >= PART_FORMAT) return 0;
    const t0 = performance.now();
    const stores = await createRuntimeStores(db);
    await stores.readModel.ready();
    await stores.readModel.snapshot();
    return Math.round(performance.now() - t0);
  } finally {
    await db.close();
    await embedded.stop();
  }
}

/**
 * The active instances' engine states in the form the runtime stores them now (deflated, `packState`): a set
 * prepared before keeps them as JSON text, which the server reads as it is but three times larger. The runtime
 * deflates a state at the instance's next checkpoint; this does it for all of them before a run, so the run
 * measures the documents the runtime writes. Answers how many were rewritten.
 */
export async function deflateStates(dir: string): Promise<number> {
  const embedded = await startEmbeddedDb({ dataDir: dir, cacheDir: path.join(projectRoot(), '.cache') });
  const db = await connectDatabase(embedded.uri);
  try {
    const active = db.conn.collection('instances');
    let ops: { updateOne: { filter: object; update: object } }[] = [];
    let rewritten = 0;
    const flush = async () => {
      if (ops.length) await active.bulkWrite(ops as never, { ordered: false });
      rewritten += ops.length;
      ops = [];
    };
    for await (const d of active.find({}, { projection: { state: 1 } }).batchSize(500)) {
      if (typeof d.state !== 'string') continue;
      ops.push({ updateOne: { filter: { _id: d._id }, update: { $set: { state: packState(d.state) } } } });
      if (ops.length === 200) await flush();
    }
    await flush();
    return rewritten;
  } finally {
    await db.close();
    await embedded.stop();
  }
}

/** A fresh copy of the prepared set at `<dir>-run` (the copy a run may change). */
export function copyForRun(dir: string): string {
  const run = `${dir}-run`;
  fs.rmSync(run, { recursive: true, force: true });
  fs.cpSync(dir, run, { recursive: true });
  return run;
}

/**
 * The audit index of the set in `dir`, built once from the chain and stored (what a server's first start of this
 * version does in the background), unless done already; with the read model's preparation, before any run copies
 * the set, so the one-time scan weighs on no figure. Answers how long the build took.
 */
export async function prepareAuditIndex(dir: string): Promise<{ ms: number; entries: number }> {
  const embedded = await startEmbeddedDb({ dataDir: dir, cacheDir: path.join(projectRoot(), '.cache') });
  const db = await connectDatabase(embedded.uri);
  try {
    const markers = db.conn.collection('bench_marker');
    const marker = (await markers.findOne({ _id: 'history' } as never)) as {
      auditIndex?: { ms: number; entries: number };
    } | null;
    if (marker?.auditIndex) return marker.auditIndex;
    const stores = await createRuntimeStores(db);
    const t0 = performance.now();
    await stores.auditIndex.ready();
    await stores.auditIndex.close();
    const built = {
      ms: Math.round(performance.now() - t0),
      entries: stores.auditIndex.loadStats?.entries ?? 0,
    };
    await markers.updateOne({ _id: 'history' } as never, { $set: { auditIndex: built } } as never);
    return built;
  } finally {
    await db.close();
    await embedded.stop();
  }
}

/**
 * bench:history's data set: BENCH_ENDED ended instances (default 100,000), BENCH_RUNNING running ones (5,000,
 * each with an open task) and about ten audit entries per instance, built once in BENCH_HISTORY_DIR and
 * reused while it holds the same counts.
 *
 * It is made honestly: the runtime runs one sample instance to its end and one to its first task; every
 * checkpoint it wrote is recorded, and each generated instance is that sample's checkpoints with its own id,
 * reference, starter, groups and times. From them the bench writes what those checkpoints leave once their
 * derived records are in, with the runtime's own document functions (`instanceToDoc`, `taskToDoc`,
 * `taskHistoryToDoc`, `auditToDoc`, `entryOf`, `factOf`), every audit entry chained and hashed as the audit
 * writer does, in large inserts (the runtime's own write path, command by command, would take hours here).
 * A generated instance's documents are compared, shape by shape, with the runtime-made sample's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../server/auth/passwords.js';
import { auditKey, hashAuditEvent } from '../server/engine/audit-chain.js';
import { entryOf, storedEntry, type InstanceEntry } from '../server/engine/projections/instance-entry.js';
import { factOf, type TaskFact } from '../server/engine/projections/task-facts.js';
import { EngineRuntime } from '../server/engine/runtime.js';
import type { CheckpointUnit, RuntimeStores } from '../server/engine/stores.js';
import type { Actor, AuditEvent } from '../server/engine/types.js';
import { auditToDoc } from '../server/persistence/audit-store.js';
import { instanceToDoc } from '../server/persistence/instance-store.js';
import { BUCKET_CAP } from '../server/persistence/day-bucket-fill.js';
import { taskHistoryToDoc } from '../server/persistence/task-history-store.js';
import { taskToDoc } from '../server/persistence/task-store.js';
import { connectDatabase, type Database } from '../server/persistence/database.js';
import { startEmbeddedDb } from '../server/persistence/embedded-db.js';
import { registerHttpModels } from '../server/persistence/http-models.js';
import { createRuntimeStores } from '../server/persistence/runtime-stores.js';
import { UserStore } from '../server/persistence/user-store.js';
import { projectRoot } from '../server/project-root.js';

const root = projectRoot();
export const ENDED = Number(process.env.BENCH_ENDED ?? 100_000);
export const RUNNING = Number(process.env.BENCH_RUNNING ?? 5_000);
export const DIR =
  process.env.BENCH_HISTORY_DIR ?? path.join(os.tmpdir(), `ravand-bench-history-${ENDED}-${RUNNING}`);
/** bench-admin's password. */
export const PASSWORD = 'bench-password-123';
const DATASET_VERSION = 2;
export const DAY = 86_400_000;
const xml = fs.readFileSync(path.join(root, 'bench', 'fixtures', 'history-bench.bpmn'), 'utf8');

const SAMPLE = {
  actor: 'hb-sample-actor',
  ended: 'HB-SAMPLE-E',
  running: 'HB-SAMPLE-R',
  title: 'Sample request',
  directorate: 'plan-policy',
  province: 'province-kab',
};
const DIRECTORATES = ['plan-policy', 'public-info', 'foreign-relations', 'legal', 'finance'];
const PROVINCES = ['kab', 'her', 'kdr', 'bal', 'nan', 'bdk', 'gha', 'pia'].map((p) => `province-${p}`);
/** Saturday 09:00 in Kabul: the sample's clock starts here. */
const T0 = Date.parse('2020-01-04T04:30:00.000Z');
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A small seeded generator: the same data set on every build. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Marker {
  version: number;
  ended: number;
  running: number;
  endedIds: string[];
  runningIds: string[];
  builtAt: string;
  buildSeconds: number;
  auditEntries: number;
  sampleCheck: string;
}

/** Keys and value types of a document, JSON strings opened, ids, times and hashes left out. */
function shape(value: unknown): unknown {
  if (typeof value === 'string') {
    if (/^[[{]/.test(value))
      try {
        return shape(JSON.parse(value));
      } catch {
        return 'string';
      }
    return 'string';
  }
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  return typeof value;
}

async function sampleRun(db: Database) {
  const stores = await createRuntimeStores(db);
  const captured: CheckpointUnit[] = [];
  const capturing: RuntimeStores = {
    ...stores,
    checkpoints: {
      async write(units) {
        const ok = await stores.checkpoints.write(units);
        units.forEach((u, i) => ok[i] && captured.push(structuredClone(u)));
        return ok;
      },
      materialise: (units, append) => stores.checkpoints.materialise(units, append),
    },
  };
  const clock = { current: T0, now: () => new Date(clock.current) };
  const runtime = new EngineRuntime({ stores: capturing, clock });
  const actor: Actor = { id: SAMPLE.actor, groups: [], roles: ['admin'] };
  await runtime.deploy(xml, actor);
  const variables = { title: SAMPLE.title, directorate: SAMPLE.directorate, province: SAMPLE.province };
  const ended = await runtime.start({ key: 'history-bench', businessKey: SAMPLE.ended, variables }, actor);
  for (const [element, days] of [
    ['register', 1],
    ['review', 3],
    ['decide', 5],
  ] as const) {
    clock.current = T0 + days * DAY;
    const task = (await runtime.listTasks({ instanceId: ended.id })).items.find(
      (t) => t.elementId === element,
    )!;
    await runtime.completeTask(task.id, { note: `${element} done` }, actor);
  }
  clock.current = T0;
  const running = await runtime.start(
    { key: 'history-bench', businessKey: SAMPLE.running, variables },
    actor,
  );
  await runtime.idle();
  await runtime.close();
  const of = (id: string) => JSON.stringify(captured.filter((u) => u.instance.id === id));
  return {
    stores,
    endedId: ended.id,
    runningId: running.id,
    endedUnits: of(ended.id),
    runningUnits: of(running.id),
  };
}

/** The sample's checkpoints as instance `n`'s: its own id, reference, starter, groups, title and times. */
function generated(
  template: string,
  sampleId: string,
  sampleKey: string,
  n: { id: string; key: string; actor: string; title: string; directorate: string; province: string },
  start: number,
  scale: number,
): CheckpointUnit[] {
  const text = template
    .replaceAll(sampleId, n.id)
    .replaceAll(sampleKey, n.key)
    .replaceAll(SAMPLE.actor, n.actor)
    .replaceAll(SAMPLE.title, n.title)
    .replaceAll(SAMPLE.directorate, n.directorate)
    .replaceAll(SAMPLE.province, n.province);
  // times move with the instance; the work takes `scale` times as long, deadlines stay as they were set
  return JSON.parse(text, (key, value: unknown) =>
    typeof value === 'string' && ISO.test(value)
      ? new Date(start + (Date.parse(value) - T0) * (key === 'dueAt' ? 1 : scale)).toISOString()
      : value,
  ) as CheckpointUnit[];
}

export async function buildDataSet(): Promise<Marker> {
  fs.mkdirSync(DIR, { recursive: true });
  const embedded = await startEmbeddedDb({ dataDir: DIR, cacheDir: path.join(root, '.cache') });
  const db = await connectDatabase(embedded.uri);
  try {
    registerHttpModels(db.conn);
    await db.ensureIndexes();
    const markers = db.conn.collection('bench_marker');
    const existing = (await markers.findOne({ _id: 'history' } as never)) as unknown as Marker | null;
    if (existing?.version === DATASET_VERSION && existing.ended === ENDED && existing.running === RUNNING) {
      console.log(`data set: reusing ${DIR} (built ${existing.builtAt} in ${existing.buildSeconds} s)`);
      return existing;
    }
    if (existing || (await db.conn.collection('instance_history').findOne({}))) {
      throw new Error(`${DIR} holds another data set: remove it or set BENCH_HISTORY_DIR`);
    }
    console.log(`data set: building ${ENDED} ended + ${RUNNING} running instances in ${DIR} …`);
    const t0 = performance.now();
    const sample = await sampleRun(db);
    const { stores } = sample;
    // the chain goes on from the sample's entries, hashed as the audit writer hashes them
    let last = (await stores.audit.last())!;
    const rnd = random(14);
    const now = Date.now();
    const endedIds: string[] = [];
    const runningIds: string[] = [];
    const person = () => `staff-${String(1 + Math.floor(rnd() * 200)).padStart(3, '0')}`;
    const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
    const buckets = { ended: new Map<string, InstanceEntry[]>(), tasks: new Map<string, TaskFact[]>() };
    const bucket = <T>(map: Map<string, T[]>, at: string, item: T) => {
      const day = at.slice(0, 10);
      const list = map.get(day) ?? [];
      list.push(item);
      map.set(day, list);
    };
    const c = (name: string) => db.conn.collection(name);
    const CHUNK = 1000;
    let lastLog = performance.now();
    for (let from = 0; from < ENDED + RUNNING; from += CHUNK) {
      const docs = {
        instances: [] as object[],
        instance_history: [] as object[],
        tasks: [] as object[],
        task_history: [] as object[],
        events: [] as object[],
        instance_trails: [] as object[],
      };
      for (let i = from; i < Math.min(ENDED + RUNNING, from + CHUNK); i++) {
        const isEnded = i < ENDED;
        const n = {
          id: `hb-${String(i).padStart(6, '0')}-${Math.floor(rnd() * 1e9).toString(36)}`,
          key: `HB-${String(i).padStart(6, '0')}`,
          actor: person(),
          title: `Request ${i} ${pick(['budget', 'travel', 'policy', 'media', 'audit', 'letter'])}`,
          directorate: pick(DIRECTORATES),
          province: pick(PROVINCES),
        };
        // ended: spread over the past year; running: started in the past 30 days
        const start = isEnded ? now - 365 * DAY + (i / ENDED) * (365 - 16) * DAY : now - rnd() * 30 * DAY;
        const scale = 0.3 + rnd() * 2.7;
        const units = isEnded
          ? generated(sample.endedUnits, sample.endedId, SAMPLE.ended, n, start, scale)
          : generated(sample.runningUnits, sample.runningId, SAMPLE.running, n, start, scale);
        // what the checkpoints leave once their derived records are in: the last checkpoint (in history when
        // ended), the open tasks, every ended task, every audit entry, and the projections of them
        const rec = units.at(-1)!.instance;
        (isEnded ? docs.instance_history : docs.instances).push(instanceToDoc(rec));
        if (!isEnded) docs.tasks.push(...rec.openTasks.map(taskToDoc));
        const history = units.flatMap((u) => u.history);
        docs.task_history.push(...history.map(taskHistoryToDoc));
        const seqs: number[] = [];
        for (const u of units)
          (u.instance.auditDrafts ?? []).forEach((d, k) => {
            const base = { ...d, seq: last.seq + 1, prevHash: last.hash } as Omit<AuditEvent, 'hash'>;
            last = { ...base, hash: hashAuditEvent(base) } as AuditEvent;
            seqs.push(last.seq);
            docs.events.push(auditToDoc(last, auditKey(u.instance.id, u.instance.rev, k)));
          });
        docs.instance_trails.push({
          _id: n.id,
          audit: seqs,
          ...(history.length ? { tasks: history.map((h) => h.id) } : {}),
        });
        if (isEnded) bucket(buckets.ended, rec.endedAt!, storedEntry(entryOf(rec)));
        for (const h of history) bucket(buckets.tasks, h.endedAt, factOf(h));
        (isEnded ? endedIds : runningIds).push(n.id);
      }
      for (const [name, list] of Object.entries(docs))
        for (let k = 0; k < list.length; k += 5000)
          await c(name).insertMany(list.slice(k, k + 5000) as never[]);
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        console.log(
          `  … ${Math.min(ENDED + RUNNING, from + CHUNK)} instances (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
        );
      }
    }
    for (const kind of ['ended', 'tasks'] as const) {
      // as the runtime buckets them: at most BUCKET_CAP items each, a busy day going on in <day>~1, <day>~2, …
      const map = new Map<string, object[]>();
      for (const [day, items] of buckets[kind] as Map<string, object[]>)
        for (let n = 0; n * BUCKET_CAP < items.length; n++)
          map.set(n ? `${day}~${n}` : day, items.slice(n * BUCKET_CAP, (n + 1) * BUCKET_CAP));
      await c('read_models').insertMany(
        [...map].map(([id, items]) => ({ _id: `${kind}:${id}`, items })) as never[],
      );
      await c('read_models').updateOne(
        { _id: `days:${kind}` } as never,
        { $addToSet: { days: { $each: [...map.keys()] } } } as never,
        { upsert: true },
      );
    }
    await c('read_models').replaceOne(
      { _id: 'meta:audit-head' } as never,
      { value: { seq: last.seq, hash: last.hash } } as never,
      { upsert: true },
    );
    await c('read_models').replaceOne(
      { _id: 'meta:projections' } as never,
      { value: { version: 1, at: new Date().toISOString() } } as never,
      { upsert: true },
    );
    // as the runtime's clean close leaves it
    await stores.meta.set({ clean: true, resume: [] });

    // the generated instance's documents have the runtime-made sample's shape, collection by collection
    const docsOf = async (id: string) => {
      const trail = (await db.conn
        .collection('instance_trails')
        .findOne({ _id: id } as never)) as unknown as {
        audit: number[];
        tasks: string[];
      };
      return {
        instance: await db.conn.collection('instance_history').findOne({ _id: id } as never),
        tasks: await Promise.all(
          [...trail.tasks].sort().map((t) => db.conn.collection('task_history').findOne({ _id: t } as never)),
        ),
        audit: await Promise.all(
          [...trail.audit]
            .sort((a, b) => a - b)
            .map((s) => db.conn.collection('events').findOne({ _id: s } as never)),
        ),
        trail: { audit: trail.audit.length, tasks: trail.tasks.length },
      };
    };
    const a = await docsOf(sample.endedId);
    const b = await docsOf(endedIds[0]!);
    const same = JSON.stringify(shape(a)) === JSON.stringify(shape(b));
    const typesA = a.audit.map((e) => (e as { type?: string } | null)?.type).join(',');
    const typesB = b.audit.map((e) => (e as { type?: string } | null)?.type).join(',');
    if (!same || typesA !== typesB)
      throw new Error('generated documents differ from the runtime-made sample');
    const sampleCheck = `same documents as the runtime-made sample (${a.trail.audit} audit entries: ${typesA})`;

    const users = new UserStore(db.conn);
    await users.create({
      id: 'bench-admin',
      name: { fa: 'bench', en: 'bench' },
      passwordHash: await hashPassword(PASSWORD),
      roles: ['admin'],
      groups: [],
    });
    const marker: Marker = {
      version: DATASET_VERSION,
      ended: ENDED,
      running: RUNNING,
      endedIds: endedIds.filter((_, i) => i % 97 === 0),
      runningIds: runningIds.filter((_, i) => i % 7 === 0),
      builtAt: new Date().toISOString(),
      buildSeconds: Math.round((performance.now() - t0) / 1000),
      auditEntries: last.seq,
      sampleCheck,
    };
    await markers.replaceOne({ _id: 'history' } as never, marker as never, { upsert: true });
    console.log(
      `data set: built in ${marker.buildSeconds} s, ${marker.auditEntries} audit entries; ${sampleCheck}`,
    );
    return marker;
  } catch (err) {
    console.error('build failed:', err);
    throw err;
  } finally {
    await db.close();
    await embedded.stop();
  }
}

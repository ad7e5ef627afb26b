import { isAppError } from '../app-error.js';
import { log } from '../logger.js';
import { appendMissingAudit, type AuditWriter } from './audit-chain.js';
import type { CheckpointWriter } from './checkpoint-writer.js';
import type { Committer } from './committer.js';
import { errorText } from './error-text.js';
import type { RuntimeHooks } from './hooks.js';
import type { LiveEngines } from './live-engines.js';
import type { InstanceRecord, RuntimeStores } from './stores.js';
import type { TaskRecord } from './types.js';
import { SYSTEM_ACTOR } from './types.js';

export interface RecoveryOptions {
  stores: RuntimeStores;
  audit: AuditWriter;
  writer: CheckpointWriter;
  engines: LiveEngines;
  committer: Committer;
  hooks: RuntimeHooks;
}

/** Runs `work` over `items`, `width` at a time. */
async function forEachLimit<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

/**
 * Startup recovery: after a clean shutdown, only the services in flight move again; after a crash (or on a
 * first start) the audit entries the crash cut off are appended, every active checkpoint's derived records
 * reconciled, in-flight services resumed; then the `runtime.recover` hook starts the features.
 */
export class Recovery {
  constructor(private readonly options: RecoveryOptions) {}

  async recover(): Promise<void> {
    const { stores, writer, engines, committer, hooks } = this.options;
    // commands of this run before recovery (a deployment, starts) may still have records on their way: they
    // are not what a crash cut off, and reconciling before they land would append their audit entries twice
    await writer.recordsSettled();
    // as the last run left it, even when a deployment at start marked this run running already
    const meta = await writer.metaLeftByLastRun();
    let moving: string[];
    let crashed: InstanceRecord[] = [];
    if (meta?.clean) {
      // a clean shutdown left every record materialised; only services in flight must move again
      moving = meta.resume ?? [];
    } else {
      // first start or a crash: reconcile open tasks, jobs and task history with every active checkpoint
      // (the runtime collections are small: ended instances live in history), and resume in-flight services
      // without their engine state (the large part): reconciliation needs only what the checkpoints derive
      const active = await stores.instances.active({ withoutState: true });
      // every open task (the inbox's mirror) is read beside the lookups below: it does not depend on them
      const allTasks = stores.tasks.all();
      allTasks.catch(() => undefined);
      // a crash while an instance ended: history wins (an ended record still only in the active collection
      // ended in its first command and is moved now); the reads go side by side, each by `_id`
      const endedOf = new Map<string, InstanceRecord>();
      // since `endedFirst`, only an active copy that ended can have a history copy (one `_id` read each, so
      // this saves thousands of round trips when many instances wait)
      const mayHaveEnded = meta?.endedFirst
        ? active.filter((rec) => rec.status === 'completed' || rec.status === 'cancelled')
        : active;
      await forEachLimit(mayHaveEnded, 16, async (rec) => {
        let ended = await stores.instances.ended(rec.id, { withoutState: true });
        if (!ended && (rec.status === 'completed' || rec.status === 'cancelled')) {
          // moved whole, engine state and all
          const full = (await stores.instances.get(rec.id)) ?? rec;
          await stores.instances.insert(full);
          ended = full;
        }
        if (ended) endedOf.set(rec.id, ended);
      });
      // checkpoints written before the crashed run began were materialised then (a clean stop, or the
      // reconciliation of that start): only the run's own checkpoints, and instances that ended, are reconciled
      const floor = meta?.auditFloor ?? 0;
      const ofCrashedRun = (rec: InstanceRecord) =>
        endedOf.has(rec.id) || rec.auditAfterSeq === undefined || rec.auditAfterSeq >= floor;
      // before anything else moves: the audit entries of the last commands that the crash cut off
      const appended = await appendMissingAudit(
        this.options.audit,
        stores.audit,
        [
          ...active,
          ...endedOf.values(),
          ...(await stores.definitions.auditCarriersSince(meta?.auditFloor ?? 0)),
        ],
        meta?.auditFloor,
      );
      if (appended) log.warn('engine appended audit entries a crash had cut off', { entries: appended });
      writer.markReconciled();
      const tasks = await allTasks;
      const byInstance = new Map<string, TaskRecord[]>();
      for (const t of tasks) byInstance.set(t.instanceId, [...(byInstance.get(t.instanceId) ?? []), t]);
      const ids = new Set<string>();
      for (const rec of active) {
        if (!ofCrashedRun(rec)) {
          byInstance.delete(rec.id);
          ids.add(rec.id);
          continue;
        }
        const ended = endedOf.get(rec.id);
        const truth = ended ?? rec;
        if (ended) await stores.instances.removeActive(rec.id);
        await writer.materialise(truth, byInstance.get(rec.id) ?? [], await stores.jobs.byInstance(rec.id));
        byInstance.delete(rec.id);
        ids.add(rec.id);
      }
      // open tasks of instances that are no longer active: the instance ended before its tasks were removed
      for (const [instanceId, stale] of byInstance) {
        const ended = await stores.instances.ended(instanceId);
        if (ended) await writer.materialise(ended, stale, await stores.jobs.byInstance(instanceId));
        else await stores.tasks.remove(stale.map((t) => t.id));
      }
      moving = active
        .filter((r) => r.inFlight.length > 0 && (r.status === 'running' || r.status === 'suspended'))
        .map((r) => r.id)
        .filter((id) => ids.has(id));
      if (active.length)
        log.info('engine reconciliation done', {
          active: active.length,
          reconciled: active.filter(ofCrashedRun).length,
        });
      crashed = active;
    }
    await writer.markRunning();
    const started: Promise<unknown>[] = [];
    for (const id of moving) {
      started.push(
        engines
          .run(id, SYSTEM_ACTOR, async (live) => {
            if (!live.rec.inFlight.length || live.rec.status !== 'running') return;
            await engines.ensureEngine(live);
            await committer.commit(live, {
              actor: SYSTEM_ACTOR,
              command: 'instance.recovered',
              engineRan: true,
            });
          })
          .catch((err) => {
            if (!isAppError(err, 'RV_ERR_INCIDENT_RAISED'))
              log.error('recovery failed', { instanceId: id, error: errorText(err) });
          }),
      );
    }
    await Promise.all(started);
    if (moving.length) log.info('engine resumed in-flight services', { resumed: moving.length });
    // features start: durable timers (the overdue ones fire now), the outbox, parents of ended children
    await hooks.run('runtime.recover', { crashed });
  }
}

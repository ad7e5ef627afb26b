import { AppError } from '../../app-error.js';
import { instanceSummary } from '../instance-summary.js';
import type { InstanceRecord } from '../stores.js';
import type { Actor, InstanceSummary, MigrationImpact } from '../types.js';
import type { FeatureContext } from './feature-context.js';

/** The elements an instance waits in (tokens, timers, open tasks) that `available` lacks, sorted. */
export function strandedElements(rec: InstanceRecord, available: ReadonlySet<string>): string[] {
  const ids = new Set([
    ...rec.waiting.map((w) => w.elementId),
    ...rec.jobs.map((j) => j.elementId),
    ...rec.openTasks.map((t) => t.elementId),
  ]);
  return [...ids].filter((id) => !available.has(id)).sort();
}

/** Running and suspended instances are the ones a new version affects (migrate moves only those). */
const ACTIVE = ['running', 'suspended'] as const;

/** Migration of a running (or suspended) instance to another version of its definition. */
export class Migration {
  constructor(private readonly ctx: FeatureContext) {}

  /**
   * Moves the instance when every element it waits in exists in the target version; else
   * RV_ERR_MIGRATION_STRANDS naming the missing ids. The checkpointed state (stored without its source) is
   * recovered with the new version's sourceContext.
   */
  async migrate(instanceId: string, toVersion: number, actor: Actor): Promise<InstanceSummary> {
    const { engines, committer, definitions, catalogs, stores, events } = this.ctx;
    if (!Number.isInteger(toVersion) || toVersion < 1)
      throw new AppError('RV_ERR_VALIDATION', { toVersion: 'must be a positive integer' });
    return engines.run(instanceId, actor, async (live) => {
      const prev = live.rec;
      if (prev.status !== 'running' && prev.status !== 'suspended')
        throw new AppError('RV_ERR_INSTANCE_NOT_RUNNING', { instanceId, status: prev.status });
      const fromVersion = prev.version;
      const target = await definitions.get(prev.key, toVersion);
      if (toVersion === fromVersion) return instanceSummary(prev);
      const missing = strandedElements(prev, catalogs.of(target).elementIds);
      if (missing.length)
        throw new AppError('RV_ERR_MIGRATION_STRANDS', { instanceId, fromVersion, toVersion, missing });
      await engines.stopEngine(live);
      live.def = target;
      live.rec = {
        ...prev,
        definitionId: target.record.id,
        version: target.record.version,
        openTasks: prev.openTasks.map((t) => ({ ...t, definitionVersion: target.record.version })),
      };
      await engines.ensureEngine(live);
      await committer.commit(live, {
        actor,
        command: 'instance.migrated',
        engineRan: true,
        data: { fromVersion, toVersion },
      });
      // the checkpoint keeps open task records as they were; their version changed (after the checkpoint's
      // own task records, which would otherwise land over these)
      await this.ctx.settledFor(live.rec.id);
      await stores.tasks.upsert(live.rec.openTasks);
      const summary = instanceSummary(live.rec);
      events.emit('instance.migrated', { instance: summary, fromVersion });
      return summary;
    });
  }

  /**
   * What deploying a model with these element ids would mean for the process's running and suspended
   * instances: each one's waits and whether it could migrate (it cannot when it waits in an element the model
   * lacks). Read from the instance index (in memory), not from history; at most `limit` entries listed,
   * those that cannot migrate first.
   */
  async impact(key: string, elementIds: ReadonlySet<string>, limit = 100): Promise<MigrationImpact> {
    const out: MigrationImpact = { key, running: 0, migratable: 0, items: [] };
    const entries: MigrationImpact['items'] = [];
    await this.ctx.instances.list({ key, limit: 1 }); // waits for the checkpoints in flight to land
    for (let skip = 0; ; skip += 200) {
      const page = await this.ctx.stores.instances.list({ key, status: [...ACTIVE], skip, limit: 200 });
      for (const rec of page.items) {
        const missing = strandedElements(rec, elementIds);
        out.running++;
        if (!missing.length) out.migratable++;
        const entry: MigrationImpact['items'][number] = {
          id: rec.id,
          version: rec.version,
          status: rec.status,
          waitingAt: [...new Set(rec.waiting.map((w) => w.elementId))],
          canMigrate: missing.length === 0,
          missing,
        };
        if (rec.businessKey) entry.businessKey = rec.businessKey;
        entries.push(entry);
      }
      if (page.items.length < 200) break;
    }
    out.items = entries.sort((a, b) => Number(a.canMigrate) - Number(b.canMigrate)).slice(0, limit);
    return out;
  }
}

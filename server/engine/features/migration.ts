import { AppError } from '../../app-error.js';
import { instanceSummary } from '../instance-summary.js';
import type { Actor, InstanceSummary } from '../types.js';
import type { FeatureContext } from './feature-context.js';

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
      const ids = new Set([
        ...prev.waiting.map((w) => w.elementId),
        ...prev.jobs.map((j) => j.elementId),
        ...prev.openTasks.map((t) => t.elementId),
      ]);
      const available = catalogs.of(target).elementIds;
      const missing = [...ids].filter((id) => !available.has(id)).sort();
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
}

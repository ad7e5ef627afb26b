import { AppError } from '../app-error.js';
import { buildCheckpoint, stripSource, type CommitContext, type EngineSnapshot } from './checkpoint.js';
import type { CheckpointWriter } from './checkpoint-writer.js';
import type { Clock } from './clock.js';
import type { EventBus } from './event-bus.js';
import type { RuntimeHooks } from './hooks.js';
import type { Live } from './live.js';
import type { LiveEngines } from './live-engines.js';
import type { ServiceCalls } from './service-calls.js';

export interface CommitterOptions {
  engines: LiveEngines;
  serviceCalls: ServiceCalls;
  writer: CheckpointWriter;
  hooks: RuntimeHooks;
  events: EventBus;
  clock: Clock;
}

/**
 * Ends a command: wait for its services (bounded), let features act (`commit.before`), build the checkpoint
 * (pure `buildCheckpoint`), write it under its rev guard, and only then emit events (`commit.after` last).
 */
export class Committer {
  constructor(private readonly options: CommitterOptions) {}

  /** What the live engine shows now (its state read only when it ran and did not end). */
  private async snapshot(live: Live, engineRan: boolean): Promise<EngineSnapshot> {
    const ran = engineRan && live.engine !== undefined && !live.engineError;
    const snapshot: EngineSnapshot = {
      ran,
      ended: live.ended,
      waits: [...live.waits.values()],
      calls: [...live.calls.values()],
      timers: [...live.timers.values()],
      transitions: live.transitions,
      ...(live.incident ? { incident: live.incident } : {}),
      ...(live.engineError ? { engineError: live.engineError } : {}),
    };
    if (ran) {
      snapshot.variables = this.options.engines.variables(live);
      if (!live.ended) snapshot.state = JSON.stringify(stripSource(await live.engine!.getState()));
    }
    return snapshot;
  }

  async commit(live: Live, ctx: CommitContext): Promise<void> {
    const { engines, writer, events, hooks } = this.options;
    if (ctx.engineRan) {
      await this.options.serviceCalls.settle(live);
      await hooks.run('commit.before', { live });
    }
    const prev = live.rec;
    const snapshot = await this.snapshot(live, ctx.engineRan);
    const { next, audit, emits, rolledBack } = buildCheckpoint(prev, snapshot, {
      ...ctx,
      now: this.options.clock.now().toISOString(),
      definition: live.def,
    });
    live.transitions = [];
    if (rolledBack) {
      // roll back to the last good checkpoint: the failed command's effects are dropped, the incident kept
      await engines.stopEngine(live);
      live.engineError = undefined;
      await writer.write(live, next, prev, audit);
      engines.evict(live);
      for (const [event, payload] of emits) events.emit(event, payload as never);
      throw new AppError('RV_ERR_INCIDENT_RAISED', { instanceId: prev.id, incident: rolledBack });
    }
    await writer.write(live, next, prev, audit);
    if (next.status !== 'running' && next.status !== 'suspended') {
      await engines.stopEngine(live);
      engines.evict(live);
    } else engines.touch(live);
    for (const [event, payload] of emits) events.emit(event, payload as never);
    hooks.call('commit.after', { record: next });
  }
}

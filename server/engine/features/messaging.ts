import { AppError, isAppError } from '../../app-error.js';
import { log } from '../../logger.js';
import {
  correlationValue,
  subscriptionsOf,
  type OutboxEntry,
  type SubscriptionRecord,
  type SubscriptionStore,
} from '../correlation.js';
import { diffById } from '../diff-by-id.js';
import { errorText } from '../error-text.js';
import { instanceSummary } from '../instance-summary.js';
import type { Live } from '../live.js';
import type { InstanceRecord } from '../stores.js';
import { SYSTEM_ACTOR, type Actor, type InstanceSummary, type MessageRequest } from '../types.js';
import { signalWait } from '../wait-signal.js';
import type { FeatureContext } from './feature-context.js';

type Outgoing = Omit<OutboxEntry, 'id' | 'rev'>;

/**
 * Messages and signals: correlation to waiting catch events and receive tasks (else a message start event),
 * signals to every waiting instance, the subscriptions each checkpoint holds, and messages and signals thrown
 * inside a process, stored in the outbox with their checkpoint and sent once it is durable (at least once).
 */
export class Messaging {
  /** Messages and signals thrown by the command in progress, per instance. */
  private readonly outbox = new Map<string, Outgoing[]>();
  /** Thrown in a command whose checkpoint is being written (stored first): sent once it is durable. */
  private readonly ready = new Map<string, { entries: OutboxEntry[]; prevState: string | undefined }>();

  constructor(private readonly ctx: FeatureContext) {
    ctx.hooks.on('engine.created', ({ live, listener }) => {
      const catalog = ctx.catalogs.of(live.def);
      if (!catalog.throws.size) return;
      listener.on('activity.end', (api) => {
        const point = catalog.throws.get(api.id);
        if (!point) return;
        const vars = { ...(api.environment?.variables ?? {}) };
        const key =
          point.kind === 'message'
            ? correlationValue(point, vars, live.rec.businessKey ?? undefined)
            : undefined;
        const list = this.outbox.get(live.rec.id) ?? [];
        list.push({
          kind: point.kind,
          name: point.name,
          from: live.rec.id,
          ...(key ? { correlationKey: key } : {}),
        });
        this.outbox.set(live.rec.id, list);
      });
    });
    ctx.hooks.on('commit.before', ({ live }) => this.storeThrown(live));
    ctx.hooks.on('commit.after', ({ record }) => {
      const out = this.ready.get(record.id);
      this.ready.delete(record.id);
      if (!ctx.handOversOpen()) return;
      for (const o of out?.entries ?? []) void this.send(o);
    });
    ctx.hooks.on('records.materialise', ({ record }) => this.materialise(record));
    ctx.hooks.on('runtime.recover', () => this.sweepOutbox());
  }

  /**
   * Before a checkpoint: what the command threw is stored, stamped with the checkpoint's rev, so a crash after
   * the checkpoint still delivers it (startup sweep) and entries of a checkpoint that never landed are dropped.
   */
  private async storeThrown(live: Live): Promise<void> {
    const id = live.rec.id;
    const thrown = this.outbox.get(id) ?? [];
    this.outbox.delete(id);
    this.ready.delete(id);
    if (live.engineError || !thrown.length) return;
    const rev = live.rec.rev + 1;
    const entries = thrown.map((o, n) => ({ ...o, id: `${id}:${rev}:${n}`, rev }));
    await this.outboxStore().insert(entries);
    this.ready.set(id, { entries, prevState: live.rec.state });
  }

  private outboxStore() {
    return this.ctx.stores.subscriptions.outbox;
  }

  /** With the records of a checkpoint: its message/signal subscriptions. */
  private async materialise(rec: InstanceRecord): Promise<void> {
    const out = this.ready.get(rec.id);
    if (out && rec.status === 'failed' && rec.state === out.prevState) {
      // the command was rolled back to its previous checkpoint (an incident): its throws never happened
      this.ready.delete(rec.id);
      await this.outboxStore().remove(out.entries.map((e) => e.id));
    }
    const store = this.ctx.stores.subscriptions;
    const def = await this.ctx.definitions.get(rec.key, rec.version);
    const catalog = this.ctx.catalogs.of(def);
    if (!catalog.catches.size) return;
    const next = rec.status === 'running' || rec.status === 'suspended' ? subscriptionsOf(rec, catalog) : [];
    const prev = await store.byInstance(rec.id);
    const subs = diffById(prev, next);
    await store.upsert([...subs.added, ...subs.changed]);
    await store.remove(subs.removed);
  }

  private subscriptions(): SubscriptionStore {
    return this.ctx.stores.subscriptions;
  }

  /** Signals one waiting execution of an instance; undefined when the wait is gone or the instance cannot move. */
  private async deliver(
    sub: { id?: string; instanceId: string; elementId: string; executionId: string },
    variables: Record<string, unknown>,
    actor: Actor,
    command: string,
    data: Record<string, unknown>,
  ): Promise<InstanceSummary | 'suspended' | undefined> {
    const { engines, committer, catalogs } = this.ctx;
    try {
      return await engines.run(sub.instanceId, actor, async (live) => {
        if (live.rec.status === 'suspended') return 'suspended' as const;
        if (live.rec.status !== 'running') {
          // left behind by a crash between an instance's last checkpoint and its cleanup
          if (live.rec.status !== 'failed' && 'id' in sub)
            await this.subscriptions().remove([String(sub.id)]);
          return undefined;
        }
        await engines.ensureEngine(live);
        const point = catalogs.of(live.def).catches.get(sub.elementId);
        if (live.engineError || !point || !live.waits.has(sub.executionId)) {
          await engines.stopEngine(live);
          return undefined;
        }
        try {
          if (Object.keys(variables).length) engines.assignVariables(live, variables);
          // to the waiting catch event through its own api (wait-signal.ts says why not delegated)
          signalWait(live.waits, sub.executionId, { id: point.refId });
        } catch (err) {
          live.engineError ??= { message: errorText(err), elementId: sub.elementId };
        }
        await committer.commit(live, { actor, command, engineRan: true, elementId: sub.elementId, data });
        return instanceSummary(live.rec);
      });
    } catch (err) {
      if (isAppError(err, 'RV_ERR_INSTANCE_NOT_FOUND')) return undefined;
      throw err;
    }
  }

  /**
   * Correlates a message by name and key (business key, or the catch event's `correlation-key` variable) to a
   * waiting catch event or receive task, else to a message start event; otherwise RV_ERR_MESSAGE_NOT_CORRELATED
   * and nothing changes.
   */
  async correlateMessage(request: MessageRequest, actor: Actor, exclude?: string): Promise<InstanceSummary> {
    const name = typeof request?.name === 'string' ? request.name.trim() : '';
    if (!name) throw new AppError('RV_ERR_VALIDATION', { name: 'required' });
    const key =
      request.correlationKey === undefined || request.correlationKey === null
        ? undefined
        : String(request.correlationKey);
    const variables = request.variables ?? {};
    if (typeof variables !== 'object' || Array.isArray(variables))
      throw new AppError('RV_ERR_VALIDATION', { variables: 'must be an object' });
    const data = { message: name, ...(key !== undefined ? { correlationKey: key } : {}) };
    let suspended = false;
    for (const sub of await this.subscriptions().find('message', name, key)) {
      if (sub.instanceId === exclude) continue;
      const got = await this.deliver(sub, variables, actor, 'message.correlated', data);
      if (got === 'suspended') suspended = true;
      else if (got) return got;
    }
    // no instance waits: a message start event of a deployed process (its latest version)
    for (const d of await this.ctx.definitions.list()) {
      const def = await this.ctx.definitions.get(d.key, d.version);
      const start = this.ctx.catalogs.of(def).starts.find((s) => s.kind === 'message' && s.name === name);
      if (!start) continue;
      const started = await this.ctx.instances.start(
        { key: d.key, version: d.version, ...(key !== undefined ? { businessKey: key } : {}), variables },
        actor,
      );
      const wait = started.waiting.find((w) => w.elementId === start.elementId);
      if (!wait) return started;
      const got = await this.deliver(
        { instanceId: started.id, elementId: start.elementId, executionId: wait.executionId },
        {},
        actor,
        'message.correlated',
        { ...data, start: true },
      );
      if (got && got !== 'suspended') return got;
      return started;
    }
    if (suspended) throw new AppError('RV_ERR_INSTANCE_SUSPENDED', { message: name });
    throw new AppError('RV_ERR_MESSAGE_NOT_CORRELATED', data);
  }

  /** Delivers a signal to every instance waiting for it (suspended ones excluded); returns how many waits. */
  async signal(
    name: string,
    variables: Record<string, unknown>,
    actor: Actor,
    exclude?: string,
  ): Promise<{ delivered: number }> {
    const { engines, committer, catalogs } = this.ctx;
    const signalName = typeof name === 'string' ? name.trim() : '';
    if (!signalName) throw new AppError('RV_ERR_VALIDATION', { name: 'required' });
    const vars = variables ?? {};
    if (typeof vars !== 'object' || Array.isArray(vars))
      throw new AppError('RV_ERR_VALIDATION', { variables: 'must be an object' });
    const byInstance = new Map<string, SubscriptionRecord[]>();
    for (const s of await this.subscriptions().find('signal', signalName)) {
      if (s.instanceId === exclude) continue;
      byInstance.set(s.instanceId, [...(byInstance.get(s.instanceId) ?? []), s]);
    }
    const counts = await Promise.all(
      [...byInstance].map(([instanceId, subs]) =>
        engines
          .run(instanceId, actor, async (live) => {
            if (live.rec.status === 'completed' || live.rec.status === 'cancelled')
              await this.subscriptions().remove(subs.map((x) => x.id));
            if (live.rec.status !== 'running') return 0;
            await engines.ensureEngine(live);
            const catches = catalogs.of(live.def).catches;
            const open = subs.filter((s) => live.waits.has(s.executionId) && catches.has(s.elementId));
            if (live.engineError || !open.length) {
              await engines.stopEngine(live);
              return 0;
            }
            try {
              if (Object.keys(vars).length) engines.assignVariables(live, vars);
              // every waiting catch of that signal, each through its own api (wait-signal.ts)
              for (const s of open) {
                const wait = live.waits.get(s.executionId);
                if (!wait) continue; // ended by an earlier one here (an event-based gateway)
                const refId = catches.get(s.elementId)!.refId;
                signalWait(live.waits, s.executionId, { id: refId });
              }
            } catch (err) {
              live.engineError ??= { message: errorText(err), elementId: open[0]!.elementId };
            }
            await committer.commit(live, {
              actor,
              command: 'signal.received',
              engineRan: true,
              elementId: open[0]!.elementId,
              data: { signal: signalName, delivered: open.length },
            });
            return open.length;
          })
          .catch((err) => {
            if (isAppError(err, 'RV_ERR_INCIDENT_RAISED')) return 1;
            if (isAppError(err, 'RV_ERR_INSTANCE_NOT_FOUND')) return 0;
            throw err;
          }),
      ),
    );
    return { delivered: counts.reduce((a, b) => a + b, 0) };
  }

  /** Startup: delivers what a crash left in the outbox; drops entries whose checkpoint never landed. */
  private async sweepOutbox(): Promise<void> {
    const store = this.outboxStore();
    for (const e of await store.all()) {
      const sender = await this.ctx.stores.instances.get(e.from);
      if (!sender || sender.rev < e.rev) await store.remove([e.id]);
      else await this.send(e);
    }
  }

  /** A message or signal thrown inside a process, sent once its checkpoint is durable (at least once). */
  private async send(o: OutboxEntry): Promise<void> {
    try {
      if (o.kind === 'signal') await this.signal(o.name, {}, SYSTEM_ACTOR, o.from);
      else
        await this.correlateMessage(
          { name: o.name, ...(o.correlationKey !== undefined ? { correlationKey: o.correlationKey } : {}) },
          SYSTEM_ACTOR,
          o.from,
        );
    } catch (err) {
      if (!this.ctx.handOversOpen() || isAppError(err, 'RV_ERR_RUNTIME_CLOSED')) return; // kept for the next start
      log.warn('thrown message not delivered', {
        from: o.from,
        kind: o.kind,
        name: o.name,
        error: errorText(err),
      });
    }
    await this.outboxStore().remove([o.id]);
  }
}

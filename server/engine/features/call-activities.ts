import { isAppError } from '../../app-error.js';
import { log } from '../../logger.js';
import { errorText } from '../error-text.js';
import type { Live } from '../live.js';
import type { InstanceRecord } from '../stores.js';
import { SYSTEM_ACTOR, type Actor } from '../types.js';
import { signalWait, waitSignal } from '../wait-signal.js';
import type { FeatureContext } from './feature-context.js';

interface PendingCall {
  elementId: string;
  executionId: string;
  calledElement: string;
}

/** Child instance id of a call activity execution: deterministic, so a repeated start finds the child. */
export function childInstanceId(parentId: string, callExecutionId: string): string {
  return `${parentId}.${callExecutionId}`;
}

function pick(vars: Record<string, unknown>, names: string[] | undefined): Record<string, unknown> {
  if (!names) return { ...vars };
  const out: Record<string, unknown> = {};
  for (const n of names) if (n in vars) out[n] = vars[n];
  return out;
}

/**
 * Call activities: the parent waits while a child instance of the called process runs (started before the
 * parent's checkpoint, with a deterministic id); the child's result returns to the parent once the child
 * completes, also after a crash; cancelling the parent cancels its children.
 */
export class CallActivities {
  /** Call activities entered in the command in progress, per instance. */
  private readonly calls = new Map<string, PendingCall[]>();

  constructor(private readonly ctx: FeatureContext) {
    ctx.hooks.on('engine.created', ({ live, listener }) => {
      const catalog = ctx.catalogs.of(live.def);
      listener.on('activity.call', (api) => {
        live.waits.set(api.executionId, {
          elementId: api.id,
          executionId: api.executionId,
          type: api.type,
          content: api.content,
          signal: waitSignal(api),
        });
        const list = this.calls.get(live.rec.id) ?? [];
        list.push({
          elementId: api.id,
          executionId: api.executionId,
          calledElement: String(api.content.calledElement ?? catalog.calls.get(api.id)?.calledElement ?? ''),
        });
        this.calls.set(live.rec.id, list);
      });
    });
    ctx.hooks.on('commit.before', ({ live }) => this.startChildren(live));
    ctx.hooks.on('commit.after', ({ record }) => {
      if (ctx.handOversOpen() && record.status === 'completed' && record.parentId)
        void this.returnToParent(record);
    });
    ctx.hooks.on('status.changed', async ({ previous, record, actor }) => {
      if (record.status === 'cancelled')
        await this.cancelChildren(this.childrenOf(previous), record.cancelReason ?? '', actor);
    });
    // parents whose called child ended just before a crash get its result now
    ctx.hooks.on('runtime.recover', async ({ crashed }) => {
      const parents = crashed.filter(
        (r) => r.status === 'running' && r.waiting.some((w) => w.type === 'bpmn:CallActivity'),
      );
      for (const parent of parents)
        for (const id of this.childrenOf(parent)) {
          const child = await ctx.stores.instances.get(id);
          if (child?.status === 'completed') await this.returnToParent(child);
        }
    });
  }

  /** Inside a command, before its checkpoint: start the children of the call activities it entered. */
  private async startChildren(live: Live): Promise<void> {
    const calls = this.calls.get(live.rec.id) ?? [];
    this.calls.delete(live.rec.id);
    for (const call of calls) {
      if (live.engineError) return;
      if (!live.waits.has(call.executionId)) continue;
      try {
        await this.startChild(live, call);
      } catch (err) {
        live.engineError ??= { message: errorText(err), elementId: call.elementId };
      }
    }
  }

  /** Call activities the instance waits on: their children's ids. */
  private childrenOf(rec: InstanceRecord): string[] {
    return rec.waiting
      .filter((w) => w.type === 'bpmn:CallActivity')
      .map((w) => childInstanceId(rec.id, w.executionId));
  }

  /** Cancels the children of a cancelled parent (each cascades further). */
  private async cancelChildren(children: string[], reason: string, actor: Actor): Promise<void> {
    for (const id of children) {
      try {
        await this.ctx.instances.cancel(id, reason, actor);
      } catch (err) {
        if (!isAppError(err, 'RV_ERR_INSTANCE_NOT_FOUND') && !isAppError(err, 'RV_ERR_INSTANCE_NOT_RUNNING'))
          log.warn('cancelling a called instance failed', { instanceId: id, error: errorText(err) });
      }
    }
  }

  private async startChild(live: Live, call: PendingCall): Promise<void> {
    const childId = childInstanceId(live.rec.id, call.executionId);
    await this.ctx.settledFor(childId);
    const existing = await this.ctx.stores.instances.get(childId);
    if (existing) {
      // recovered parent: the child was started before; if it already ended, its result is due now
      if (existing.status === 'completed') void this.returnToParent(existing);
      return;
    }
    const info = this.ctx.catalogs.of(live.def).calls.get(call.elementId);
    const key = call.calledElement || info?.calledElement;
    if (!key) throw new Error(`${call.elementId}: no calledElement`);
    const variables = pick(this.ctx.engines.variables(live), info?.inputs);
    await this.ctx.instances.start(
      {
        key,
        variables,
        ...(live.rec.businessKey ? { businessKey: live.rec.businessKey } : {}),
        // the child belongs where its parent does (instance search by directorate and province)
        ...(live.rec.directorate ? { directorate: live.rec.directorate } : {}),
        ...(live.rec.province ? { province: live.rec.province } : {}),
      },
      SYSTEM_ACTOR,
      { id: childId, parentId: live.rec.id },
    );
  }

  /** A called child completed: its output variables go back and the parent's call activity completes. */
  private async returnToParent(child: InstanceRecord): Promise<void> {
    const { engines, committer } = this.ctx;
    const parentId = child.parentId!;
    const executionId = child.id.slice(parentId.length + 1);
    try {
      await engines.run(parentId, SYSTEM_ACTOR, async (live) => {
        if (live.rec.status !== 'running') return;
        await engines.ensureEngine(live);
        const wait = live.waits.get(executionId);
        if (live.engineError || !wait) return;
        const info = this.ctx.catalogs.of(live.def).calls.get(wait.elementId);
        try {
          engines.assignVariables(live, pick(child.variables, info?.outputs ?? []));
          signalWait(live.waits, executionId, { id: wait.elementId, executionId });
        } catch (err) {
          live.engineError ??= { message: errorText(err), elementId: wait.elementId };
        }
        await committer.commit(live, {
          actor: SYSTEM_ACTOR,
          command: 'call.completed',
          engineRan: true,
          elementId: wait.elementId,
          data: { childId: child.id },
        });
      });
    } catch (err) {
      if (!isAppError(err, 'RV_ERR_INCIDENT_RAISED'))
        log.warn('returning to the parent instance failed', {
          parentId,
          childId: child.id,
          error: errorText(err),
        });
    }
  }
}

import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { Timers } from 'bpmn-elements';
import type { Clock } from './clock.js';
import { errorText } from './error-text.js';
import type { EngineExpressions } from './expressions.js';
import type { RuntimeHooks } from './hooks.js';
import type { ActivityLike, ApiView, EngineLike, EngineListener, Live } from './live.js';
import type { ServiceCalls } from './service-calls.js';
import { toIso, type TaskAttributes } from './task-attributes.js';
import { waitSignal } from './wait-signal.js';

/** Scripts are never run (no sandbox); deploy refuses them and this keeps it so at run time. */
const noScripts = { register() {}, getScript() {} };
/**
 * bpmn-engine logs through `debug`: three loggers per element of every engine, each probing the terminal
 * (about 2% of the CPU of a busy server). Quiet unless `DEBUG` asks for them; engine errors reach us
 * through `engine.on('error')` either way.
 */
const quietLogger = { debug: () => undefined, warn: () => undefined, error: () => undefined };
const engineLogger = process.env.DEBUG ? {} : { Logger: () => quietLogger };

export interface EngineFactoryOptions {
  clock: Clock;
  expressions: EngineExpressions;
  taskAttributes: TaskAttributes;
  serviceCalls: ServiceCalls;
  hooks: RuntimeHooks;
}

/**
 * Creates the bpmn-engine of a live instance and its listener: waits, timers and transitions recorded on
 * `live`, service tasks routed to `ServiceCalls`, user task attributes resolved at enter; then the
 * `engine.created` hook lets features listen too.
 */
export class EngineFactory {
  constructor(private readonly options: EngineFactoryOptions) {}

  /** bpmn-engine `extensions`: Camunda attributes → published on the activity's format at enter. */
  private extensionFor(live: Live) {
    const { serviceCalls, taskAttributes } = this.options;
    function RavandService(this: { activity: ActivityLike }, activity: ActivityLike) {
      this.activity = activity;
    }
    RavandService.prototype.execute = function (
      this: { activity: ActivityLike },
      message: { content: Record<string, unknown> },
      callback: (err: Error | null, output?: unknown) => void,
    ) {
      serviceCalls.start(live, this.activity, message, callback);
    };
    // a stopped engine drops the callback; the call is repeated on recovery (idempotent by executionId)
    RavandService.prototype.stop = function () {};

    return (activity: ActivityLike) => {
      const b = activity.behaviour;
      if (typeof b.topic === 'string' && b.topic) b.Service = RavandService;
      if (activity.type !== 'bpmn:UserTask') return undefined;
      return {
        activate(message: { fields: { routingKey?: string; redelivered?: boolean } }) {
          if (message.fields.redelivered || message.fields.routingKey !== 'run.enter') return;
          try {
            activity.broker.publish('format', 'run.ravand', {
              ravand: taskAttributes.resolve(live, activity),
            });
          } catch (err) {
            live.engineError ??= { message: errorText(err), elementId: activity.id };
          }
        },
        deactivate() {},
      };
    };
  }

  /** Gives `live` a new engine and listener (not yet executed or recovered). */
  create(live: Live): void {
    const listener = new EventEmitter();
    const nowIso = () => this.options.clock.now().toISOString();
    const track = (api: ApiView) => ({
      elementId: api.id,
      executionId: api.executionId,
      type: api.type,
      content: api.content,
      signal: waitSignal(api),
    });
    listener.on('wait', (api: ApiView) => {
      live.waits.set(api.executionId, track(api));
    });
    const leave = (api: ApiView) => {
      live.waits.delete(api.executionId);
      for (const [k, t] of live.timers) if (t.elementId === api.id) live.timers.delete(k);
    };
    listener.on('activity.end', (api: ApiView) => {
      leave(api);
      // an element recovered while it waited ends with `isRecovered` set: it still completed now
      live.transitions.push({
        at: nowIso(),
        actor: live.actor.id,
        type: 'element.completed',
        instanceId: live.rec.id,
        elementId: api.id,
      });
    });
    listener.on('activity.leave', leave);
    listener.on('activity.discard', leave);
    listener.on('activity.timer', (api: ApiView) => {
      const c = api.content;
      const dueAt = toIso(c.expireAt);
      if (!dueAt) return;
      live.timers.set(`${api.id}:${api.executionId}`, {
        elementId: api.id,
        executionId: api.executionId,
        dueAt,
        timer: {
          ...(c.timeDuration ? { timeDuration: c.timeDuration } : {}),
          ...(c.timeDate ? { timeDate: c.timeDate } : {}),
          ...(c.timeCycle ? { timeCycle: c.timeCycle } : {}),
          ...(c.repeat !== undefined ? { repeat: c.repeat } : {}),
        },
      });
    });
    // no 'activity.error' listener: an error caught by a boundary event is not an incident; an uncaught one
    // reaches engine.on('error') below

    // timers are durable jobs fired by the scheduler through the queue, never by a Node timer inside an
    // engine (a timer firing outside a command would change an engine nobody checkpoints)
    const timers = new Timers({
      setTimeout: (() => ({})) as never,
      clearTimeout: (() => undefined) as never,
    });
    const engine = new Engine({
      name: live.rec.id,
      sourceContext: live.def.compiled.sourceContext,
      expressions: this.options.expressions,
      extensions: { ravand: this.extensionFor(live) },
      scripts: noScripts,
      timers,
      ...engineLogger,
      settings: { enableDummyService: false },
    } as never) as unknown as EngineLike;
    engine.on('error', (err: unknown) => {
      const e = err as { message?: string; source?: { content?: { id?: string } }; id?: string };
      live.engineError ??= { message: errorText(err), elementId: e.source?.content?.id };
    });
    engine.on('end', () => {
      live.ended = true;
    });
    live.engine = engine;
    live.listener = listener;
    this.options.hooks.call('engine.created', { live, listener: listener as unknown as EngineListener });
  }
}

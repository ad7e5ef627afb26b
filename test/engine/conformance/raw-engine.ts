import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { Timers } from 'bpmn-elements';
import { camundaModdle } from '../../../server/engine/definition-compiler.js';
import { createExpressions, userVariables } from '../../../server/engine/expressions.js';
import type { ServiceHandler } from '../../../server/engine/types.js';

/** The wait api bpmn-engine's listener hands out (loosely typed). */
interface WaitApi {
  id: string;
  type: string;
  executionId: string;
  content: Record<string, unknown>;
  signal(message?: unknown): void;
}

interface ExecutionView {
  definitions: {
    getProcesses(): {
      environment: { variables: Record<string, unknown>; assignVariables(v: object): void };
    }[];
  }[];
  signal(payload: Record<string, unknown>): void;
}

interface EngineView {
  execute(o: object): Promise<unknown>;
  getState(): Promise<object>;
  stop(): Promise<unknown>;
  recover(state: object): { resume(o: object): Promise<unknown> };
  on(e: string, fn: (...a: unknown[]) => void): void;
}

interface PendingTimer {
  callback: (...args: unknown[]) => void;
  args: unknown[];
  owner?: { id?: string; executionId?: string };
}

/**
 * bpmn-engine 25 running a model in memory, driven the way Ravand drives its engines (the reference run of
 * the conformance specs): variables assigned to the process environment before a wait is signalled, the wait
 * signalled through the api its `wait` event handed out, FEEL expressions, Camunda `topic` service tasks calling
 * the same handlers, and the engine's `timers` option holding timers until the test fires them (a fake clock).
 * Nothing of Ravand's persistence is involved: `restart()` is bpmn-engine's own getState → recover → resume.
 */
export class RawEngine {
  /** Element ids in the order their activities ended (what Ravand audits as `element.completed`). */
  readonly path: string[] = [];
  readonly waits = new Map<string, WaitApi>();
  ended = false;
  error: string | undefined;
  private engine: EngineView | undefined;
  private execution: ExecutionView | undefined;
  private readonly pendingTimers = new Set<PendingTimer>();
  private pendingServices = 0;
  private constructor(
    private readonly xml: string,
    private readonly services: Record<string, ServiceHandler>,
  ) {}

  /** Runs `xml` until it waits (and every service call it started has answered). */
  static async start(
    xml: string,
    variables: Record<string, unknown> = {},
    services: Record<string, ServiceHandler> = {},
  ): Promise<RawEngine> {
    const run = new RawEngine(xml, services);
    run.engine = run.newEngine(xml);
    run.execution = (await run.engine.execute({
      listener: run.listener(),
      variables: { ...variables },
    })) as unknown as ExecutionView;
    await run.settle();
    return run;
  }

  private newEngine(source?: string): EngineView {
    const timers = new Timers({
      setTimeout: ((callback: PendingTimer['callback'], _delay: number, ...args: unknown[]) => {
        const ref: PendingTimer = { callback, args };
        this.pendingTimers.add(ref);
        return ref;
      }) as never,
      clearTimeout: ((ref: PendingTimer) => this.pendingTimers.delete(ref)) as never,
    });
    const call = (
      topic: string,
      message: { content: Record<string, unknown> & { executionId: string; id: string } },
      callback: (err: Error | null, out?: unknown) => void,
    ) => this.callService(topic, message, callback);
    const extension = (activity: { behaviour: Record<string, unknown> }) => {
      const topic = activity.behaviour.topic;
      if (typeof topic !== 'string' || !topic) return undefined;
      activity.behaviour.Service = function RawService(this: { activity: unknown }) {
        return {
          execute(
            message: { content: Record<string, unknown> & { executionId: string; id: string } },
            callback: (err: Error | null, out?: unknown) => void,
          ) {
            call(topic, message, callback);
          },
        };
      };
      return undefined;
    };
    const expressions = createExpressions(() => ({}));
    const engine = new Engine({
      name: 'raw',
      ...(source ? { source } : {}),
      moddleOptions: { camunda: camundaModdle },
      expressions,
      extensions: { raw: extension },
      timers,
      settings: { enableDummyService: false },
      Logger: () => ({ debug() {}, warn() {}, error() {} }),
    } as never) as unknown as EngineView;
    engine.on('end', () => (this.ended = true));
    engine.on('error', (err: unknown) => (this.error ??= String((err as Error)?.message ?? err)));
    return engine;
  }

  private callService(
    topic: string,
    message: { content: Record<string, unknown> & { executionId: string; id: string } },
    callback: (err: Error | null, out?: unknown) => void,
  ): void {
    const handler = this.services[topic];
    this.pendingServices++;
    const vars = userVariables(this.env()?.variables);
    void Promise.resolve()
      .then(() =>
        handler!({
          executionId: message.content.executionId,
          instanceId: 'raw',
          elementId: message.content.id,
          variables: vars,
          now: () => new Date(),
          nextSequence: () => Promise.resolve(1),
        }),
      )
      .then(
        (out) => {
          this.pendingServices--;
          this.env()?.assignVariables(out ?? {});
          callback(null, out);
        },
        (err: Error) => {
          this.pendingServices--;
          callback(err);
        },
      );
  }

  private listener(): EventEmitter {
    const listener = new EventEmitter();
    listener.on('wait', (api: WaitApi) => this.waits.set(api.executionId, api));
    listener.on('activity.end', (api: WaitApi) => {
      this.waits.delete(api.executionId);
      // an activity recovered while waiting ends with `isRecovered` set: it still ended now
      this.path.push(api.id);
    });
    const leave = (api: WaitApi) => this.waits.delete(api.executionId);
    listener.on('activity.leave', leave);
    listener.on('activity.discard', leave);
    listener.on('activity.consumed', (api: WaitApi) => {
      if (api.content?.isMultiInstance) this.waits.delete(api.executionId);
    });
    return listener;
  }

  private env() {
    return this.execution?.definitions[0]?.getProcesses()[0]?.environment;
  }

  /** Lets service answers land, until nothing is pending. */
  async settle(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await new Promise((r) => setImmediate(r));
      if (!this.pendingServices) return;
    }
  }

  /** The user variables of the process. */
  variables(): Record<string, unknown> {
    return userVariables(this.env()?.variables);
  }

  /** Waiting user tasks' element ids, sorted. */
  userTasks(): string[] {
    return [...this.waits.values()]
      .filter((w) => w.type === 'bpmn:UserTask')
      .map((w) => w.id)
      .sort();
  }

  /** Element ids of every wait, sorted. */
  waiting(): string[] {
    return [...this.waits.values()].map((w) => w.id).sort();
  }

  private waitOf(elementId: string): WaitApi {
    const wait = [...this.waits.values()].find((w) => w.id === elementId);
    if (!wait)
      throw new Error(`raw engine: nothing waits in ${elementId} (waits: ${this.waiting().join(', ')})`);
    return wait;
  }

  /** Completes the first waiting user task of `elementId` with `data` (assigned to the process first). */
  async complete(elementId: string, data: Record<string, unknown> = {}): Promise<void> {
    const wait = this.waitOf(elementId);
    this.env()?.assignVariables(data);
    wait.signal({ form: data });
    await this.settle();
  }

  /** Delivers a message or signal to the wait in `elementId` (variables assigned first). */
  async deliver(elementId: string, refId: string, variables: Record<string, unknown> = {}): Promise<void> {
    const wait = this.waitOf(elementId);
    if (Object.keys(variables).length) this.env()?.assignVariables(variables);
    wait.signal({ id: refId });
    await this.settle();
  }

  /** Fires every timer the engine holds now (like a clock moved past them), once. */
  async fireTimers(): Promise<number> {
    const due = [...this.pendingTimers];
    this.pendingTimers.clear();
    for (const t of due) t.callback(...t.args);
    await this.settle();
    return due.length;
  }

  /** getState → stop → a new engine: recover → resume (bpmn-engine's own restart). */
  async restart(): Promise<void> {
    const state = JSON.parse(JSON.stringify(await this.engine!.getState())) as object;
    await this.engine!.stop();
    this.waits.clear();
    this.pendingTimers.clear();
    const engine = this.newEngine();
    this.engine = engine;
    this.execution = (await engine.recover(state).resume({ listener: this.listener() })) as ExecutionView;
    await this.settle();
  }

  /** The XML this run was started from. */
  get source(): string {
    return this.xml;
  }
}

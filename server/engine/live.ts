/**
 * One instance in memory (`Live`): its last durable record and, while live, its bpmn-engine with what the
 * engine's listener saw (waits, timers, service calls, transitions). The shapes of the bpmn-engine objects
 * the runtime touches are here too (its own types are loose).
 */
import type { EventEmitter } from 'node:events';
import type { AuditDraft } from './audit-chain.js';
import type { CompiledDefinition } from './definition-compiler.js';
import type { InstanceRecord } from './stores.js';
import type { WaitSignal } from './wait-signal.js';
import { SYSTEM_ACTOR, type Actor, type DefinitionSummary, type I18nText, type Incident } from './types.js';

/** A deployed definition as the runtime keeps it: summary, compiled model and element names. */
export interface DefinitionEntry {
  record: DefinitionSummary;
  compiled: CompiledDefinition;
  names: Map<string, I18nText>;
}

export type Outcome =
  { ok: true; result: Record<string, unknown> } | { ok: false; error: Error & { code?: unknown } };

/** A service task's call in progress (its handler runs outside the engine; the result comes back through `callback`). */
export interface ServiceCall {
  executionId: string;
  elementId: string;
  service: string;
  callback: (err: Error | null, output?: unknown) => void;
  outcome?: Outcome;
  promise: Promise<void>;
  detached: boolean;
}

/** An element the engine waits in (user task, receive task, catch event, call activity …). */
export interface WaitInfo {
  elementId: string;
  executionId: string;
  type: string;
  content: Record<string, unknown>;
  /** The wait's own api `signal` (wait-signal.ts says why it is used instead of the delegated one). */
  signal: WaitSignal;
}

/** A timer the engine armed (checkpointed as a job). */
export interface TimerInfo {
  elementId: string;
  executionId: string;
  dueAt: string;
  timer: Record<string, unknown>;
}

/** An error the engine raised during a command (the command is rolled back to an incident). */
export interface EngineError {
  message: string;
  elementId?: string;
  code?: string;
}

/** Minimal view of a bpmn-engine `Engine`. */
export interface EngineLike {
  state: string;
  execution?: ExecutionLike | null;
  on(event: string, fn: (...args: unknown[]) => void): void;
  execute(options?: Record<string, unknown>): Promise<ExecutionLike>;
  recover(state: unknown): EngineLike;
  resume(options?: Record<string, unknown>): Promise<ExecutionLike>;
  getState(): Promise<Record<string, unknown>>;
  stop(): Promise<unknown> | undefined;
}

/** Minimal view of a bpmn-engine execution. */
export interface ExecutionLike {
  isRunning?: boolean;
  definitions: {
    getProcesses(): {
      environment: { variables: Record<string, unknown>; assignVariables(v: object): void };
    }[];
  }[];
}

/** Minimal view of a bpmn-elements activity. */
export interface ActivityLike {
  id: string;
  type: string;
  behaviour: Record<string, unknown>;
  environment: { variables: Record<string, unknown> };
  broker: { publish(exchange: string, routingKey: string, content: object): void };
}

/** The listener payload bpmn-engine passes (an activity api). */
export interface ApiView {
  id: string;
  type: string;
  executionId: string;
  content: Record<string, unknown>;
  environment?: { variables?: Record<string, unknown> };
  owner?: { behaviour?: Record<string, unknown>; environment?: { variables?: Record<string, unknown> } };
  /** Signals this element's execution (wait-signal.ts). */
  signal(message: Record<string, unknown>): void;
}

/** The engine listener features subscribe to (`engine.created` hook). */
export interface EngineListener {
  on(event: string, fn: (api: ApiView) => void): void;
}

/** One instance in memory: its last durable record and, while live, its engine. */
export interface Live {
  rec: InstanceRecord;
  def: DefinitionEntry;
  engine?: EngineLike;
  execution?: ExecutionLike;
  listener?: EventEmitter;
  waits: Map<string, WaitInfo>;
  timers: Map<string, TimerInfo>;
  calls: Map<string, ServiceCall>;
  engineError?: EngineError;
  ended: boolean;
  incident?: Incident;
  transitions: AuditDraft[];
  actor: Actor;
}

/** A live instance for a record, no engine yet. */
export function newLive(rec: InstanceRecord, def: DefinitionEntry): Live {
  return {
    rec,
    def,
    waits: new Map(),
    timers: new Map(),
    calls: new Map(),
    ended: false,
    transitions: [],
    actor: SYSTEM_ACTOR,
  };
}

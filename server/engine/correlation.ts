/**
 * What a deployed model says about messages, signals, multi-instance activities and call activities, read once
 * from its shared sourceContext; and the message/signal subscriptions a checkpointed instance holds.
 */
import type { WaitingElement } from './types.js';

/** A catch point: a message/signal catch or boundary event, a receive task, or a message start event. */
export interface CatchPoint {
  elementId: string;
  kind: 'message' | 'signal';
  /** The message's or signal's `name` (what senders use). */
  name: string;
  /** The `bpmn:message`/`bpmn:signal` element id: bpmn-elements delivers by it. */
  refId: string;
  /** The variable whose value must equal the correlation key (`correlation-key` property); else the business key. */
  correlationVariable?: string;
  start: boolean;
}

/** A throw point: an intermediate/end throw event or a send task with a message or signal. */
export interface ThrowPoint {
  elementId: string;
  kind: 'message' | 'signal';
  name: string;
  correlationVariable?: string;
}

export interface MultiInstanceInfo {
  elementId: string;
  /** `<activityId>-results` unless the `output-variable` property says otherwise. */
  outputVariable: string;
  subProcess: boolean;
}

export interface CallInfo {
  elementId: string;
  calledElement: string;
  /** `input-variables` (comma-separated); all parent variables when absent. */
  inputs?: string[];
  /** `output-variables` (comma-separated); nothing comes back when absent. */
  outputs: string[];
}

export interface FlowCatalog {
  elementIds: Set<string>;
  catches: Map<string, CatchPoint>;
  throws: Map<string, ThrowPoint>;
  starts: CatchPoint[];
  multiInstance: Map<string, MultiInstanceInfo>;
  /** Element id → the multi-instance sub-process it sits in (directly). */
  parentOf: Map<string, string>;
  calls: Map<string, CallInfo>;
}

/** A message or signal an instance waits for (materialised in the `subscriptions` collection). */
export interface SubscriptionRecord {
  /** `<instanceId>:<executionId>` */
  id: string;
  instanceId: string;
  elementId: string;
  executionId: string;
  kind: 'message' | 'signal';
  name: string;
  /** The value a message's correlation key must equal; absent when the instance has none. */
  correlationValue?: string;
  createdAt: string;
}

/** The message and signal waits of running instances: what `correlateMessage` and `signal` look up. */
export interface SubscriptionStore {
  upsert(subs: SubscriptionRecord[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Matching waits, oldest instance first; `correlationValue` undefined matches any. */
  find(kind: 'message' | 'signal', name: string, correlationValue?: string): Promise<SubscriptionRecord[]>;
  byInstance(instanceId: string): Promise<SubscriptionRecord[]>;
  /** Thrown messages and signals awaiting delivery (kept beside the waits they are matched against). */
  readonly outbox: OutboxStore;
}

/** A message or signal a process threw, kept until delivered (at least once). */
export interface OutboxEntry {
  /** `<instanceId>:<rev>:<n>` */
  id: string;
  /** The sender instance and the checkpoint rev that made the throw durable. */
  from: string;
  rev: number;
  kind: 'message' | 'signal';
  name: string;
  correlationKey?: string;
}

export interface OutboxStore {
  insert(entries: OutboxEntry[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  all(): Promise<OutboxEntry[]>;
}

interface LooseElement {
  id: string;
  type: string;
  parent?: { id: string; type: string };
  behaviour?: {
    eventDefinitions?: { type: string; behaviour?: { messageRef?: RefLike; signalRef?: RefLike } }[];
    messageRef?: RefLike;
    loopCharacteristics?: { type: string; behaviour?: Record<string, unknown> };
    calledElement?: string;
    extensionElements?: { values?: { $type: string; values?: { name?: string; value?: string }[] }[] };
  };
}

interface RefLike {
  id?: string;
  name?: string;
}

/** The `camunda:properties` of an element as a map. */
export function elementProperties(el: LooseElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of el.behaviour?.extensionElements?.values ?? []) {
    if (v.$type !== 'camunda:Properties') continue;
    for (const p of v.values ?? []) if (p.name) out[p.name] = String(p.value ?? '');
  }
  return out;
}

function list(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const CATCH_TYPES = new Set([
  'bpmn:IntermediateCatchEvent',
  'bpmn:BoundaryEvent',
  'bpmn:StartEvent',
  'bpmn:ReceiveTask',
]);
const THROW_TYPES = new Set(['bpmn:IntermediateThrowEvent', 'bpmn:EndEvent', 'bpmn:SendTask']);

/** Reads the catalog from a moddle-context-serializer sourceContext (`getActivities()`). */
export function catalogOf(sourceContext: unknown): FlowCatalog {
  const ctx = sourceContext as { getActivities(scope?: string): LooseElement[] };
  const catalog: FlowCatalog = {
    elementIds: new Set(),
    catches: new Map(),
    throws: new Map(),
    starts: [],
    multiInstance: new Map(),
    parentOf: new Map(),
    calls: new Map(),
  };
  const activities = ctx.getActivities();
  for (const el of activities) {
    if (el.type === 'bpmn:Message' || el.type === 'bpmn:Signal' || el.type.endsWith('Definition')) continue;
    catalog.elementIds.add(el.id);
    const props = elementProperties(el);
    const b = el.behaviour ?? {};
    const refs: { kind: 'message' | 'signal'; ref: RefLike }[] = [];
    if (b.messageRef) refs.push({ kind: 'message', ref: b.messageRef });
    for (const d of b.eventDefinitions ?? []) {
      if (d.type === 'bpmn:MessageEventDefinition' && d.behaviour?.messageRef)
        refs.push({ kind: 'message', ref: d.behaviour.messageRef });
      if (d.type === 'bpmn:SignalEventDefinition' && d.behaviour?.signalRef)
        refs.push({ kind: 'signal', ref: d.behaviour.signalRef });
    }
    for (const { kind, ref } of refs) {
      const name = ref.name ?? ref.id ?? '';
      const point = {
        elementId: el.id,
        kind,
        name,
        refId: ref.id ?? name,
        ...(props['correlation-key'] ? { correlationVariable: props['correlation-key'] } : {}),
      };
      if (CATCH_TYPES.has(el.type)) {
        const c: CatchPoint = { ...point, start: el.type === 'bpmn:StartEvent' };
        catalog.catches.set(el.id, c);
        if (c.start && el.parent?.type === 'bpmn:Process') catalog.starts.push(c);
      } else if (THROW_TYPES.has(el.type)) catalog.throws.set(el.id, point);
    }
    const loop = b.loopCharacteristics;
    if (loop?.type === 'bpmn:MultiInstanceLoopCharacteristics')
      catalog.multiInstance.set(el.id, {
        elementId: el.id,
        outputVariable: props['output-variable'] || `${el.id}-results`,
        subProcess: el.type === 'bpmn:SubProcess' || el.type === 'bpmn:Transaction',
      });
    if (el.type === 'bpmn:CallActivity' && typeof b.calledElement === 'string') {
      const inputs = list(props['input-variables']);
      catalog.calls.set(el.id, {
        elementId: el.id,
        calledElement: b.calledElement,
        ...(inputs ? { inputs } : {}),
        outputs: list(props['output-variables']) ?? [],
      });
    }
  }
  for (const el of activities)
    if (el.parent && catalog.multiInstance.get(el.parent.id)?.subProcess)
      catalog.parentOf.set(el.id, el.parent.id);
  return catalog;
}

/** The correlation value of a catch point for an instance: its variable, else the business key. */
export function correlationValue(
  point: { correlationVariable?: string },
  variables: Record<string, unknown>,
  businessKey: string | undefined,
): string | undefined {
  if (point.correlationVariable) {
    const v = variables[point.correlationVariable];
    return v === undefined || v === null ? undefined : String(v);
  }
  return businessKey;
}

/** The message/signal subscriptions an instance holds at a checkpoint (start events excluded). */
export function subscriptionsOf(
  rec: {
    id: string;
    waiting: WaitingElement[];
    variables: Record<string, unknown>;
    businessKey?: string;
    startedAt: string;
  },
  catalog: FlowCatalog,
): SubscriptionRecord[] {
  const out: SubscriptionRecord[] = [];
  for (const w of rec.waiting) {
    const point = catalog.catches.get(w.elementId);
    if (!point || point.start) continue;
    const value =
      point.kind === 'message' ? correlationValue(point, rec.variables, rec.businessKey) : undefined;
    out.push({
      id: `${rec.id}:${w.executionId}`,
      instanceId: rec.id,
      elementId: w.elementId,
      executionId: w.executionId,
      kind: point.kind,
      name: point.name,
      ...(value !== undefined ? { correlationValue: value } : {}),
      createdAt: rec.startedAt,
    });
  }
  return out;
}

/** The index of a multi-instance iteration from its execution id (bpmn-elements names them `<root>_<index>`). */
export function iterationIndex(executionId: string | undefined): number | undefined {
  const m = executionId ? /_(\d+)$/.exec(executionId) : null;
  return m ? Number(m[1]) : undefined;
}

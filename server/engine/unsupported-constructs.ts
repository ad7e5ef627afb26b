import type { ErrorCode } from '../../schemas/errors.js';

/** A loose moddle element (moddle objects are dynamic). */
interface Element {
  $type: string;
  id?: string;
  [key: string]: unknown;
}

/** A construct Ravand refuses at deploy: the code, the element to point at, and details. */
export interface Unsupported {
  code: ErrorCode;
  element: Element;
  details: Record<string, unknown>;
}

/** bpmn-engine 25 / bpmn-elements 17 defects behind a refusal (test/engine/conformance shows each). */
export const UPSTREAM = {
  parallelJoinAfterMerge: 'https://github.com/paed01/bpmn-engine/issues/200',
  inclusiveJoin: 'https://github.com/paed01/bpmn-elements/issues/46',
} as const;

/**
 * Event sub-process starts Ravand cannot serve: it delivers no message or signal to them, and bpmn-engine 25 never
 * arms a timer start there (test/engine/conformance/matrix.spec.ts shows it; no upstream issue found).
 */
const EVENT_SUBPROCESS_REFUSED = new Set([
  'bpmn:MessageEventDefinition',
  'bpmn:SignalEventDefinition',
  'bpmn:TimerEventDefinition',
]);

const children = (el: Element): Element[] => (el.flowElements as Element[] | undefined) ?? [];
const definitionTypes = (el: Element): string[] =>
  ((el.eventDefinitions as Element[] | undefined) ?? []).map((d) => d.$type);

/**
 * The first construct of a process that Ravand refuses although the modeller offers it: a manual task (nothing
 * could complete it), a signal start event, an event sub-process started by a message, signal or timer (see
 * EVENT_SUBPROCESS_REFUSED), and a converging parallel gateway fed by a converging exclusive or inclusive
 * gateway (bpmn-engine passes it early: UPSTREAM.parallelJoinAfterMerge).
 */
export function findUnsupported(process: Element): Unsupported | undefined {
  return scan(process, true);
}

function scan(container: Element, isProcess: boolean): Unsupported | undefined {
  const elements = children(container);
  const incoming = new Map<string, number>();
  const outgoing = new Map<string, Element[]>();
  for (const el of elements) {
    if (el.$type !== 'bpmn:SequenceFlow') continue;
    const source = el.sourceRef as Element | undefined;
    const target = el.targetRef as Element | undefined;
    if (!source?.id || !target?.id) continue;
    incoming.set(target.id, (incoming.get(target.id) ?? 0) + 1);
    outgoing.set(source.id, [...(outgoing.get(source.id) ?? []), target]);
  }
  const converging = (el: Element) => (incoming.get(el.id ?? '') ?? 0) > 1;
  for (const el of elements) {
    if (el.$type === 'bpmn:ManualTask') return { code: 'RV_ERR_BPMN_MANUAL_TASK', element: el, details: {} };
    if (el.$type === 'bpmn:StartEvent') {
      const defs = definitionTypes(el);
      if (isProcess && defs.includes('bpmn:SignalEventDefinition'))
        return { code: 'RV_ERR_BPMN_SIGNAL_START', element: el, details: {} };
      const started = defs.find((d) => EVENT_SUBPROCESS_REFUSED.has(d));
      if (container.triggeredByEvent === true && started)
        return { code: 'RV_ERR_BPMN_EVENT_SUBPROCESS_START', element: el, details: { start: started } };
    }
    if ((el.$type === 'bpmn:ExclusiveGateway' || el.$type === 'bpmn:InclusiveGateway') && converging(el)) {
      // from the merge onwards through activities and events: a converging parallel gateway there misfires
      const seen = new Set<string>();
      const queue = [...(outgoing.get(el.id ?? '') ?? [])];
      while (queue.length) {
        const next = queue.shift()!;
        if (!next.id || seen.has(next.id)) continue;
        seen.add(next.id);
        if (next.$type === 'bpmn:ParallelGateway' && converging(next))
          return {
            code: 'RV_ERR_BPMN_PARALLEL_JOIN_AFTER_MERGE',
            element: next,
            details: { merge: el.id, upstream: UPSTREAM.parallelJoinAfterMerge },
          };
        if (next.$type.endsWith('Gateway')) continue;
        queue.push(...(outgoing.get(next.id) ?? []));
      }
    }
    if (children(el).length) {
      const inner = scan(el, false);
      if (inner) return inner;
    }
  }
  return undefined;
}

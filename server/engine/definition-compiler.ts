import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import * as Elements from 'bpmn-elements';
import serializer, { TypeResolver } from 'moddle-context-serializer';
import { AppError } from '../app-error.js';
import type { ErrorCode } from '../../schemas/errors.js';
import { checkFeelSyntax, isFeel, type FeelFunctionMap } from './expressions.js';
import type { ElementInfo, I18nText } from './types.js';
import { findUnsupported, UPSTREAM } from './unsupported-constructs.js';
import { processModelOf, type ProcessModelInfo } from './process-attributes.js';
import { validReferencePattern } from './reference-pattern.js';

const require = createRequire(import.meta.url);
/** Camunda extension attributes (assignee, formKey, topic, properties …). */
export const camundaModdle = require('camunda-bpmn-moddle/resources/camunda.json') as object;

/** A deployed BPMN, parsed once and shared by every engine of its instances. */
export interface CompiledDefinition {
  key: string;
  name: I18nText;
  hash: string;
  elements: ElementInfo[];
  /** bpmn-engine's serialized moddle context (`sourceContext` option). */
  sourceContext: unknown;
  /** Service topics and form keys the model uses. */
  services: string[];
  formKeys: string[];
  /** Activity id → error codes caught by its boundary error events (`*` catches any code). */
  errorCatches: Record<string, string[]>;
  /** Ravand's process attributes, the user tasks' offers and the start events, read from the model here. */
  model: ProcessModelInfo;
}

export interface CompileOptions {
  hasService(name: string): boolean;
  hasForm(formKey: string): boolean;
  /** Function names known to FEEL at run time (syntax checks bind them). */
  feelFunctions?: FeelFunctionMap;
}

// loose moddle element shape: moddle objects are dynamic
interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  [key: string]: unknown;
}

interface ModdleWarning {
  message: string;
  element?: ModdleElement;
  property?: string;
  value?: unknown;
  error?: Error;
}

/** sha256 of the XML text: identical bytes deploy to the same version. */
export function hashXml(xml: string): string {
  return crypto.createHash('sha256').update(xml, 'utf8').digest('hex');
}

/** 1-based line/column of `id="<id>"` in the XML, so a rejection points at the element. */
export function locateId(xml: string, id: string | undefined): { line?: number; column?: number } {
  if (!id) return {};
  const idx = xml.search(new RegExp(`\\sid=["']${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`));
  if (idx < 0) return {};
  const before = xml.slice(0, idx + 1);
  const line = before.split('\n').length;
  const column = idx + 2 - before.lastIndexOf('\n') - 1;
  return { line, column };
}

function reject(code: ErrorCode, xml: string, element: ModdleElement | undefined, extra: object = {}): never {
  const elementId = element?.id;
  throw new AppError(code, {
    ...(elementId ? { elementId } : {}),
    ...locateId(xml, elementId),
    ...extra,
  });
}

/** `line: N column: M` from a moddle/saxen message (its lines are 0-based). */
function parsePosition(message: string): { line?: number; column?: number } {
  const line = /line: (\d+)/.exec(message);
  const column = /column: (\d+)/.exec(message);
  return {
    ...(line ? { line: Number(line[1]) + 1 } : {}),
    ...(column ? { column: Number(column[1]) } : {}),
  };
}

function firstLine(message: string): string {
  const nested = /nested error: (.+)/.exec(message);
  return nested ? nested[1]!.trim() : message.split('\n')[0]!;
}

/** The Dari name from `<camunda:property name="name-fa">`, and any other properties. */
export function camundaProperties(el: ModdleElement | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const ext = el?.extensionElements as { values?: ModdleElement[] } | undefined;
  for (const v of ext?.values ?? []) {
    if (v.$type !== 'camunda:Properties') continue;
    for (const p of (v.values as ModdleElement[] | undefined) ?? []) {
      if (typeof p.name === 'string') out[p.name] = String(p.value ?? '');
    }
  }
  return out;
}

/** `{ fa, en }` of an element: `name` is English, `name-fa` the Dari; each falls back to the other, then the id. */
export function i18nName(el: ModdleElement | undefined): I18nText {
  const en = typeof el?.name === 'string' && el.name.trim() ? el.name.trim() : undefined;
  const fa = camundaProperties(el)['name-fa']?.trim() || undefined;
  const id = el?.id ?? '';
  return { en: en ?? fa ?? id, fa: fa ?? en ?? id };
}

const DURATION =
  /^P(?!$)(\d+(?:[.,]\d+)?Y)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?W)?(\d+(?:[.,]\d+)?D)?(T(?=\d)(\d+(?:[.,]\d+)?H)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?S)?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function validDate(text: string): boolean {
  return DATE_TIME.test(text) && !Number.isNaN(Date.parse(text));
}

/** True when a timer body is a valid ISO 8601 duration, date-time or repeating interval. */
export function validTimerValue(kind: 'timeDuration' | 'timeDate' | 'timeCycle', text: string): boolean {
  const t = text.trim();
  if (kind === 'timeDuration') return DURATION.test(t);
  if (kind === 'timeDate') return validDate(t);
  const m = /^R(\d*)\/(.+)$/.exec(t);
  if (!m) return false;
  const parts = m[2]!.split('/');
  if (parts.length === 1) return DURATION.test(parts[0]!);
  if (parts.length === 2)
    return (
      (validDate(parts[0]!) && DURATION.test(parts[1]!)) || (DURATION.test(parts[0]!) && validDate(parts[1]!))
    );
  return false;
}

const FORBIDDEN_EXTENSION_TYPES = new Set([
  'camunda:Script',
  'camunda:ExecutionListener',
  'camunda:TaskListener',
]);

function* walk(el: ModdleElement): Generator<ModdleElement> {
  yield el;
  for (const child of (el.flowElements as ModdleElement[] | undefined) ?? []) yield* walk(child);
}

function* walkExtensions(value: unknown, depth = 0): Generator<ModdleElement> {
  if (depth > 8 || !value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) yield* walkExtensions(v, depth + 1);
    return;
  }
  const el = value as ModdleElement;
  if (typeof el.$type === 'string') yield el;
  for (const key of ['values', 'inputParameters', 'outputParameters', 'definition', 'script']) {
    if (key in el) yield* walkExtensions(el[key], depth + 1);
  }
}

/** Ravand's process attributes: a usable reference pattern, four-eyes rules naming real elements. */
function checkProcessAttributes(model: ProcessModelInfo, proc: ModdleElement, text: string): void {
  const { attributes, userTasks, startEventIds } = model;
  const pattern = attributes.referencePattern;
  if (pattern !== undefined && !validReferencePattern(pattern))
    reject('RV_ERR_BPMN_INVALID_EXPRESSION', text, proc, {
      attribute: 'reference-pattern',
      expression: pattern,
    });
  const known = new Set([...userTasks.map((t) => t.id), ...startEventIds]);
  for (const [taskId, ids] of Object.entries(attributes.separateFrom)) {
    const unknown = ids.filter((id) => !known.has(id) || id === taskId);
    if (unknown.length)
      reject(
        'RV_ERR_BPMN_INVALID_EXPRESSION',
        text,
        { $type: 'bpmn:UserTask', id: taskId },
        {
          attribute: 'separate-from',
          expression: ids.join(' '),
          unknown,
        },
      );
  }
}

/**
 * Parses and validates BPMN XML for deployment: Ravand's conventions (processes/CONVENTIONS.md) plus the
 * bpmn-engine limits in DESIGN.md. Throws an AppError naming the element; returns the shared sourceContext.
 */
export async function compileDefinition(xml: string, options: CompileOptions): Promise<CompiledDefinition> {
  if (typeof xml !== 'string' || !xml.trim())
    throw new AppError('RV_ERR_BPMN_PARSE', { message: 'empty document' });
  const moddle = new BpmnModdle({ camunda: camundaModdle });
  let parsed: {
    rootElement: ModdleElement;
    warnings: ModdleWarning[];
    elementsById: Record<string, ModdleElement>;
    references: unknown[];
  };
  try {
    parsed = (await moddle.fromXML(xml.trim(), 'bpmn:Definitions')) as unknown as typeof parsed;
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    throw new AppError('RV_ERR_BPMN_PARSE', { message: firstLine(message), ...parsePosition(message) });
  }
  // trimming shifts no lines unless the document starts with blank lines; positions are for `xml.trim()`
  const text = xml.trim();

  for (const w of parsed.warnings) {
    const dup = /duplicate ID <([^>]+)>/.exec(w.message);
    if (dup) {
      const id = dup[1]!;
      throw new AppError('RV_ERR_BPMN_DUPLICATE_ID', { elementId: id, ...parsePosition(w.message) });
    }
  }
  for (const w of parsed.warnings) {
    if (/unparsable content|unresolved reference/.test(w.message)) {
      const elementId = w.element?.id;
      throw new AppError('RV_ERR_BPMN_PARSE', {
        message: firstLine(w.message),
        ...(elementId ? { elementId } : {}),
        ...(elementId ? locateId(text, elementId) : parsePosition(w.message)),
      });
    }
  }

  const root = parsed.rootElement;
  const processes = ((root.rootElements as ModdleElement[] | undefined) ?? []).filter(
    (e) => e.$type === 'bpmn:Process',
  );
  const executable = processes.filter((p) => p.isExecutable === true);
  if (executable.length === 0) throw new AppError('RV_ERR_BPMN_NO_EXECUTABLE_PROCESS');
  if (executable.length > 1)
    throw new AppError('RV_ERR_BPMN_MULTIPLE_PROCESSES', { processIds: executable.map((p) => p.id) });
  const proc = executable[0]!;
  const key = proc.id!;
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,99}$/.test(key)) reject('RV_ERR_BPMN_INVALID_KEY', text, proc);

  const fns = options.feelFunctions ?? {};
  const feel = (value: unknown, el: ModdleElement, attribute: string) => {
    if (typeof value !== 'string' || !isFeel(value)) return;
    try {
      checkFeelSyntax(value, fns);
    } catch (err) {
      reject('RV_ERR_BPMN_INVALID_EXPRESSION', text, el, {
        attribute,
        expression: value,
        message: (err as Error).message,
      });
    }
  };

  const elements: ElementInfo[] = [];
  const services = new Set<string>();
  const formKeys = new Set<string>();
  const errorCatches: Record<string, string[]> = {};
  // <bpmn:incoming> is optional in the XML: count sequence flows by their target instead
  const incoming = new Map<string, number>();
  for (const el of walk(proc)) {
    const target = (el.targetRef as ModdleElement | undefined)?.id;
    if (el.$type === 'bpmn:SequenceFlow' && target) incoming.set(target, (incoming.get(target) ?? 0) + 1);
  }
  for (const el of walk(proc)) {
    if (el === proc) continue;
    const type = el.$type;
    if (type !== 'bpmn:SequenceFlow') elements.push({ id: el.id!, type, name: i18nName(el) });

    if (type === 'bpmn:ScriptTask') reject('RV_ERR_BPMN_SCRIPT_FORBIDDEN', text, el);
    for (const ext of walkExtensions(el.extensionElements)) {
      if (FORBIDDEN_EXTENSION_TYPES.has(ext.$type))
        reject('RV_ERR_BPMN_SCRIPT_FORBIDDEN', text, el, { extension: ext.$type });
    }
    for (const attr of ['class', 'delegateExpression', 'expression'])
      if (el[attr]) reject('RV_ERR_BPMN_SCRIPT_FORBIDDEN', text, el, { attribute: `camunda:${attr}` });

    if (type === 'bpmn:SequenceFlow') {
      const cond = el.conditionExpression as ModdleElement | undefined;
      if (cond) {
        if (cond.language) reject('RV_ERR_BPMN_SCRIPT_FORBIDDEN', text, el, { language: cond.language });
        feel(cond.body, el, 'conditionExpression');
      }
    }
    if (type === 'bpmn:InclusiveGateway' && (incoming.get(el.id!) ?? 0) > 1)
      reject('RV_ERR_BPMN_INCLUSIVE_JOIN', text, el, { upstream: UPSTREAM.inclusiveJoin });

    if (type === 'bpmn:ServiceTask' || type === 'bpmn:SendTask' || type === 'bpmn:BusinessRuleTask') {
      const topic = el.topic;
      if (typeof topic !== 'string' || !topic || !options.hasService(topic))
        reject('RV_ERR_BPMN_UNKNOWN_SERVICE', text, el, { service: topic ?? null });
      services.add(topic);
    }

    if (type === 'bpmn:StartEvent' && typeof el.formKey === 'string' && el.formKey) {
      // the start form: POST /api/instances validates the start variables against it
      if (!options.hasForm(el.formKey)) reject('RV_ERR_BPMN_UNKNOWN_FORM', text, el, { formKey: el.formKey });
      formKeys.add(el.formKey);
    }

    if (type === 'bpmn:UserTask') {
      const formKey = el.formKey;
      if (typeof formKey === 'string' && formKey) {
        if (!options.hasForm(formKey)) reject('RV_ERR_BPMN_UNKNOWN_FORM', text, el, { formKey });
        formKeys.add(formKey);
      }
      for (const attr of [
        'assignee',
        'candidateUsers',
        'candidateGroups',
        'dueDate',
        'followUpDate',
        'priority',
      ])
        feel(el[attr], el, `camunda:${attr}`);
      const prio = el.priority;
      if (prio !== undefined && !isFeel(prio)) {
        const n = Number(prio);
        if (!Number.isInteger(n) || n < 0 || n > 100)
          reject('RV_ERR_BPMN_INVALID_EXPRESSION', text, el, {
            attribute: 'camunda:priority',
            expression: prio,
          });
      }
      for (const attr of ['dueDate', 'followUpDate']) {
        const v = el[attr];
        if (typeof v === 'string' && v && !isFeel(v) && !v.includes('${') && !validDate(v))
          reject('RV_ERR_BPMN_INVALID_EXPRESSION', text, el, { attribute: `camunda:${attr}`, expression: v });
      }
    }

    const loop = el.loopCharacteristics as ModdleElement | undefined;
    if (loop) {
      feel(loop.collection, el, 'camunda:collection');
      const cc = loop.completionCondition as ModdleElement | undefined;
      if (cc?.language) reject('RV_ERR_BPMN_SCRIPT_FORBIDDEN', text, el, { language: cc.language });
      feel(cc?.body, el, 'completionCondition');
    }

    for (const def of (el.eventDefinitions as ModdleElement[] | undefined) ?? []) {
      if (def.$type === 'bpmn:ErrorEventDefinition' && type === 'bpmn:BoundaryEvent') {
        const host = (el.attachedToRef as ModdleElement | undefined)?.id;
        const code = (def.errorRef as ModdleElement | undefined)?.errorCode;
        if (host) (errorCatches[host] ??= []).push(typeof code === 'string' && code ? code : '*');
      }
      if (def.$type === 'bpmn:ConditionalEventDefinition') {
        const cond = def.condition as ModdleElement | undefined;
        if (cond?.language) reject('RV_ERR_BPMN_SCRIPT_FORBIDDEN', text, el, { language: cond.language });
        feel(cond?.body, el, 'condition');
      }
      if (def.$type !== 'bpmn:TimerEventDefinition') continue;
      const kinds = (['timeDuration', 'timeDate', 'timeCycle'] as const).filter((k) => def[k]);
      if (kinds.length !== 1)
        reject('RV_ERR_BPMN_INVALID_TIMER', text, el, {
          reason: 'exactly one of timeDuration, timeDate, timeCycle',
        });
      const kind = kinds[0]!;
      const body = String((def[kind] as ModdleElement).body ?? '').trim();
      if (isFeel(body)) {
        try {
          checkFeelSyntax(body, fns);
        } catch (err) {
          reject('RV_ERR_BPMN_INVALID_TIMER', text, el, { [kind]: body, message: (err as Error).message });
        }
      } else if (!body.includes('${') && !validTimerValue(kind, body)) {
        reject('RV_ERR_BPMN_INVALID_TIMER', text, el, { [kind]: body });
      }
      if (kind === 'timeCycle' && el.$type === 'bpmn:IntermediateCatchEvent')
        reject('RV_ERR_BPMN_INVALID_TIMER', text, el, {
          [kind]: body,
          reason: 'a cycle fires once on an intermediate event; use a non-interrupting boundary event',
        });
    }
  }

  const unsupported = findUnsupported(proc);
  if (unsupported) reject(unsupported.code, text, unsupported.element, unsupported.details);
  const model = processModelOf(proc as never);
  checkProcessAttributes(model, proc, text);
  model.stepNames = Object.fromEntries(elements.map((e) => [e.id, e.name]));

  const typeResolver = TypeResolver(Elements as never);
  const sourceContext = serializer(parsed as never, typeResolver);

  return {
    key,
    name: i18nName(proc),
    hash: hashXml(xml),
    elements,
    sourceContext,
    services: [...services],
    formKeys: [...formKeys],
    errorCatches,
    model,
  };
}

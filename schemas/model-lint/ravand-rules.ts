import { findUnsupported } from '../../server/engine/unsupported-constructs.js';
import { checkFeelSyntax, isFeel } from '../../server/engine/expressions.js';
import { errorCatalogue } from '../errors.js';
import type { LintContext } from './lint-context.js';

/** A moddle element as bpmnlint hands it to a rule (moddle objects are dynamic). */
interface Node {
  $type: string;
  id?: string;
  name?: string;
  $instanceOf?(type: string): boolean;
  [key: string]: unknown;
}
interface Reporter {
  report(id: string | undefined, message: string, path?: string[]): void;
}
/** A bpmnlint rule factory: called with the rule's configuration (here `{ context }`). */
export type RuleFactory = (config?: { context?: LintContext }) => {
  check(node: Node, reporter: Reporter): void;
};

const is = (node: Node, type: string): boolean =>
  typeof node.$instanceOf === 'function' ? node.$instanceOf(type) : node.$type === type;

/** `name-fa` of an element (processes/CONVENTIONS.md), trimmed, or ''. */
export function dariNameOf(node: Node): string {
  const ext = node.extensionElements as { values?: Node[] } | undefined;
  for (const v of ext?.values ?? []) {
    if (v.$type !== 'camunda:Properties') continue;
    for (const p of (v.values as Node[] | undefined) ?? [])
      if (p.name === 'name-fa') return String(p.value ?? '').trim();
  }
  return '';
}

/** A plain (non-expression) comma-separated list: its entries; an expression: nothing to check. */
function plainList(value: unknown): string[] {
  if (typeof value !== 'string' || isFeel(value) || value.includes('${')) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Messages of Ravand's rules, in English (the Dari is in lint-messages.ts, matched by these patterns). */
export const ravandMessages = {
  unknownGroup: (group: string) => `Unknown candidate group <${group}>`,
  unknownForm: (form: string) => `Unknown form <${form}>`,
  noDariName: 'Element has no Dari name',
  invalidFeel: (where: string) => `Invalid expression in ${where}`,
};

/** Candidate groups must be groups of the directory (a FEEL expression is checked when it runs). */
const candidateGroups: RuleFactory = (config) => ({
  check(node, reporter) {
    const groups = config?.context?.groups;
    if (!groups || !is(node, 'bpmn:UserTask')) return;
    for (const group of plainList(node.candidateGroups))
      if (!groups.has(group))
        reporter.report(node.id, ravandMessages.unknownGroup(group), ['candidateGroups']);
  },
});

/** A user task's or start event's form key must name a form Ravand has. */
const formKey: RuleFactory = (config) => ({
  check(node, reporter) {
    const forms = config?.context?.forms;
    if (!forms || !(is(node, 'bpmn:UserTask') || is(node, 'bpmn:StartEvent'))) return;
    const key = node.formKey;
    if (typeof key === 'string' && key && !isFeel(key) && !forms.has(key))
      reporter.report(node.id, ravandMessages.unknownForm(key), ['formKey']);
  },
});

/** Every named process, flow node and sequence flow has its Dari name too (`name-fa`). */
const dariName: RuleFactory = () => ({
  check(node, reporter) {
    if (!(is(node, 'bpmn:Process') || is(node, 'bpmn:FlowNode') || is(node, 'bpmn:SequenceFlow'))) return;
    const english = typeof node.name === 'string' ? node.name.trim() : '';
    if (english && !dariNameOf(node)) reporter.report(node.id, ravandMessages.noDariName, ['name-fa']);
  },
});

/** The engine's deploy-time refusals (server/engine/unsupported-constructs.ts), plus script tasks and inclusive joins. */
const supportedElements: RuleFactory = () => ({
  check(node, reporter) {
    if (is(node, 'bpmn:ScriptTask')) reporter.report(node.id, errorCatalogue.RV_ERR_BPMN_SCRIPT_FORBIDDEN.en);
    if (is(node, 'bpmn:InclusiveGateway') && ((node.incoming as unknown[] | undefined)?.length ?? 0) > 1)
      reporter.report(node.id, errorCatalogue.RV_ERR_BPMN_INCLUSIVE_JOIN.en);
    if (node.$type !== 'bpmn:Process') return;
    const found = findUnsupported(node as never);
    if (found) reporter.report(found.element.id, errorCatalogue[found.code].en);
  },
});

/** Where a FEEL expression may stand, with the name the message gives the place. */
const FEEL_ATTRIBUTES: Array<[string, string]> = [
  ['assignee', 'assignee'],
  ['candidateUsers', 'candidate users'],
  ['candidateGroups', 'candidate groups'],
  ['dueDate', 'due date'],
  ['followUpDate', 'follow-up date'],
  ['priority', 'priority'],
];

/** FEEL (`=…`) in due dates, assignments, conditions, timers and loops must parse. */
const feelSyntax: RuleFactory = () => ({
  check(node, reporter) {
    const check = (value: unknown, where: string) => {
      if (typeof value !== 'string' || !isFeel(value)) return;
      try {
        checkFeelSyntax(value);
      } catch {
        reporter.report(node.id, ravandMessages.invalidFeel(where));
      }
    };
    if (is(node, 'bpmn:UserTask')) for (const [attr, where] of FEEL_ATTRIBUTES) check(node[attr], where);
    if (is(node, 'bpmn:SequenceFlow'))
      check((node.conditionExpression as Node | undefined)?.body, 'condition');
    const loop = node.loopCharacteristics as Node | undefined;
    if (loop) {
      check(loop.collection, 'collection');
      check((loop.completionCondition as Node | undefined)?.body, 'completion condition');
    }
    for (const def of (node.eventDefinitions as Node[] | undefined) ?? []) {
      if (def.$type === 'bpmn:ConditionalEventDefinition')
        check((def.condition as Node | undefined)?.body, 'condition');
      if (def.$type !== 'bpmn:TimerEventDefinition') continue;
      for (const kind of ['timeDuration', 'timeDate', 'timeCycle'])
        check(String((def[kind] as Node | undefined)?.body ?? '').trim(), 'timer');
    }
  },
});

/** Ravand's rules by name (`ravand/<name>` in the lint configuration). */
export const ravandRules: Record<string, RuleFactory> = {
  'candidate-groups': candidateGroups,
  'form-key': formKey,
  'dari-name': dariName,
  'supported-elements': supportedElements,
  'feel-syntax': feelSyntax,
};

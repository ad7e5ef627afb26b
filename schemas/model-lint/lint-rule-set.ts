import StaticResolver from 'bpmnlint/lib/resolver/static-resolver.js';
import adHocSubProcess from 'bpmnlint/rules/ad-hoc-sub-process.js';
import conditionalFlows from 'bpmnlint/rules/conditional-flows.js';
import endEventRequired from 'bpmnlint/rules/end-event-required.js';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway.js';
import eventSubProcessTypedStartEvent from 'bpmnlint/rules/event-sub-process-typed-start-event.js';
import fakeJoin from 'bpmnlint/rules/fake-join.js';
import labelRequired from 'bpmnlint/rules/label-required.js';
import linkEvent from 'bpmnlint/rules/link-event.js';
import noBpmndi from 'bpmnlint/rules/no-bpmndi.js';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway.js';
import noDisconnected from 'bpmnlint/rules/no-disconnected.js';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows.js';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork.js';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split.js';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end.js';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start.js';
import noOverlappingElements from 'bpmnlint/rules/no-overlapping-elements.js';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event.js';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition.js';
import startEventRequired from 'bpmnlint/rules/start-event-required.js';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event.js';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway.js';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination.js';
import type { LintContext } from './lint-context.js';
import { ravandRules } from './ravand-rules.js';

type Level = 'error' | 'warn';

/**
 * bpmnlint's recommended rules as Ravand runs them. Departures from `bpmnlint:recommended`: `no-inclusive-gateway`
 * is off (Ravand allows inclusive splits; converging ones are refused by `ravand/supported-elements`);
 * `label-required`, `no-gateway-join-fork` and `no-implicit-split` only warn (the office's processes use them on
 * purpose); `no-bpmndi` only warns (the engine runs a model without a drawing; the modeller always draws one); `global` and `superfluous-label` are off (they speak of ids and labels bpmn-js writes itself).
 */
const recommended: Record<string, [unknown, Level]> = {
  'ad-hoc-sub-process': [adHocSubProcess, 'error'],
  'conditional-flows': [conditionalFlows, 'error'],
  'end-event-required': [endEventRequired, 'error'],
  'event-based-gateway': [eventBasedGateway, 'error'],
  'event-sub-process-typed-start-event': [eventSubProcessTypedStartEvent, 'error'],
  'fake-join': [fakeJoin, 'warn'],
  'label-required': [labelRequired, 'warn'],
  'link-event': [linkEvent, 'error'],
  'no-bpmndi': [noBpmndi, 'warn'],
  'no-complex-gateway': [noComplexGateway, 'error'],
  'no-disconnected': [noDisconnected, 'error'],
  'no-duplicate-sequence-flows': [noDuplicateSequenceFlows, 'error'],
  'no-gateway-join-fork': [noGatewayJoinFork, 'warn'],
  'no-implicit-split': [noImplicitSplit, 'warn'],
  'no-implicit-end': [noImplicitEnd, 'error'],
  'no-implicit-start': [noImplicitStart, 'error'],
  'no-overlapping-elements': [noOverlappingElements, 'warn'],
  'single-blank-start-event': [singleBlankStartEvent, 'error'],
  'single-event-definition': [singleEventDefinition, 'error'],
  'start-event-required': [startEventRequired, 'error'],
  'sub-process-blank-start-event': [subProcessBlankStartEvent, 'error'],
  'superfluous-gateway': [superfluousGateway, 'warn'],
  'superfluous-termination': [superfluousTermination, 'warn'],
};

/** Ravand's own rules: every one blocks a deployment. */
const ravandLevels: Record<string, Level> = {
  'candidate-groups': 'error',
  'form-key': 'error',
  'dari-name': 'error',
  'supported-elements': 'error',
  'feel-syntax': 'error',
};

/** A packed bpmnlint configuration (config + StaticResolver, as bpmnlint-pack-config makes it). */
export interface LintRuleSet {
  config: { rules: Record<string, Level | [Level, { context: LintContext }]> };
  resolver: unknown;
}

/**
 * THE lint rule set of Ravand, the same in the browser (bpmn-js-bpmnlint's `linting.bpmnlint`) and on the server
 * (`POST /api/definitions`): bpmnlint's recommended rules plus `ravand/*`. Ravand's rules read `context` when they
 * run, so the caller may fill it in later (the browser does once the directory and forms are loaded).
 */
export function lintRuleSet(context: LintContext): LintRuleSet {
  const cache: Record<string, unknown> = {};
  const rules: LintRuleSet['config']['rules'] = {};
  for (const [name, [rule, level]] of Object.entries(recommended)) {
    cache[`rule:bpmnlint/${name}`] = rule;
    rules[name] = level;
  }
  for (const [name, level] of Object.entries(ravandLevels)) {
    cache[`rule:bpmnlint-plugin-ravand/${name}`] = ravandRules[name];
    rules[`ravand/${name}`] = [level, { context }];
  }
  return { config: { rules }, resolver: new StaticResolver(cache) };
}

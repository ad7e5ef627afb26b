import { BpmnModdle } from 'bpmn-moddle';
import { Linter } from 'bpmnlint';
import type { LintContext } from '../../schemas/model-lint/lint-context.js';
import { lintIssues, type LintIssue } from '../../schemas/model-lint/lint-messages.js';
import { lintRuleSet } from '../../schemas/model-lint/lint-rule-set.js';
import { camundaModdle } from './definition-compiler.js';

/**
 * Runs Ravand's lint rule set (schemas/model-lint, the one the modeller runs in the browser) over BPMN XML.
 * Returns undefined when the XML does not parse: the definition compiler then says why, with the position.
 */
export async function lintXml(xml: string, context: LintContext): Promise<LintIssue[] | undefined> {
  if (typeof xml !== 'string' || !xml.trim()) return undefined;
  let root: Element;
  try {
    const parsed = (await new BpmnModdle({ camunda: camundaModdle }).fromXML(
      xml.trim(),
      'bpmn:Definitions',
    )) as {
      rootElement: Element;
    };
    root = parsed.rootElement;
  } catch {
    return undefined;
  }
  linkFlows(root);
  const { config, resolver } = lintRuleSet(context);
  return lintIssues(await new Linter({ config, resolver }).lint(root));
}

interface Element {
  $type: string;
  [key: string]: unknown;
}

/**
 * `incoming`/`outgoing` of every flow node from its sequence flows, as bpmn-js sets them when it imports a
 * diagram (`<bpmn:incoming>` is optional in the XML), so that the server lints what the modeller lints.
 */
function linkFlows(el: Element, depth = 0): void {
  if (depth > 50) return;
  const children = [
    ...((el.rootElements as Element[] | undefined) ?? []),
    ...((el.flowElements as Element[] | undefined) ?? []),
  ];
  for (const flow of children) {
    if (flow.$type !== 'bpmn:SequenceFlow') continue;
    const link = (node: unknown, side: 'incoming' | 'outgoing') => {
      if (!node || typeof node !== 'object') return;
      const list = ((node as Element)[side] as Element[] | undefined) ?? [];
      if (!list.includes(flow)) (node as Element)[side] = [...list, flow];
    };
    link(flow.sourceRef, 'outgoing');
    link(flow.targetRef, 'incoming');
  }
  for (const child of children) if (child.$type !== 'bpmn:SequenceFlow') linkFlows(child, depth + 1);
}

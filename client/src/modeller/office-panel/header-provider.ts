import { h } from '@bpmn-io/properties-panel/preact';
import { i18n } from '../../i18n/i18n.js';
import { camundaProperty, isA, type DiagramElement, type ModdleElement } from './model-access.js';

type Translate = (template: string, replacements?: Record<string, string>) => string;
type Shape = DiagramElement & { source?: DiagramElement; di?: { isExpanded?: boolean } };

const rawType = (type: string): string => type.split(':')[1] ?? type;
const eventDefinition = (bo: ModdleElement): ModdleElement | undefined =>
  (bo.get('eventDefinitions') as ModdleElement[] | undefined)?.[0];
const nonInterrupting = (bo: ModdleElement): boolean =>
  (isA(bo, 'bpmn:StartEvent') && bo.get('isInterrupting') === false) ||
  (isA(bo, 'bpmn:BoundaryEvent') && bo.get('cancelActivity') === false);

/** An element's name in the current language: the Dari name (`name-fa`) in Dari, `name` in English, else the other. */
export function headerName(element: DiagramElement): string {
  const bo = element.businessObject;
  if (isA(bo, 'bpmn:TextAnnotation')) return String(bo.get('text') ?? '');
  const en = String(bo.name ?? '').trim();
  const fa = (camundaProperty(bo, 'name-fa') ?? '').trim();
  return i18n.lang === 'fa' ? fa || en : en || fa;
}

/**
 * The element's concrete type as bpmn-js-properties-panel names it for its header ("TimerStartEvent",
 * "ExpandedSubProcess", "ConditionalFlow", …): the same rules, so the same `translate` texts apply.
 */
export function concreteType(element: Shape): string {
  const bo = element.businessObject;
  let type = rawType(element.type);
  const definition = eventDefinition(bo);
  if (definition) {
    type = `${rawType(definition.$type).replace('EventDefinition', '')}${type}`;
    return nonInterrupting(bo) ? `${type}NonInterrupting` : type;
  }
  if (isA(bo, 'bpmn:SubProcess') && !isA(bo, 'bpmn:Transaction')) {
    if (bo.get('triggeredByEvent')) return `Event${type}`;
    const expanded = element.di?.isExpanded ?? (bo as { di?: { isExpanded?: boolean } }).di?.isExpanded;
    return `${expanded ? 'Expanded' : 'Collapsed'}${type}`;
  }
  if (isA(bo, 'bpmn:SequenceFlow')) {
    const source = element.source?.businessObject;
    const fromActivityOrGateway = isA(source, 'bpmn:Gateway') || isA(source, 'bpmn:Activity');
    if (source && fromActivityOrGateway && source.get('default') === bo) return 'DefaultFlow';
    if (bo.get('conditionExpression') && isA(source, 'bpmn:Activity')) return 'ConditionalFlow';
  }
  return type;
}

const kebab = (s: string): string => s.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
/** bpmn-font's names of event definitions (`bpmn-icon-start-event-condition`, `…-compensation`). */
const FONT_DEFINITION: Record<string, string> = { conditional: 'condition', compensate: 'compensation' };
const GATEWAYS: Record<string, string> = {
  ExclusiveGateway: 'gateway-xor',
  ParallelGateway: 'gateway-parallel',
  InclusiveGateway: 'gateway-or',
  EventBasedGateway: 'gateway-eventbased',
  ComplexGateway: 'gateway-complex',
};

/** The bpmn-font icon (the palette's and context pad's icons) of the element's concrete type. */
export function iconClass(element: Shape): string {
  const bo = element.businessObject;
  const type = rawType(element.type);
  const def = eventDefinition(bo);
  const name = def ? kebab(rawType(def.$type).replace('EventDefinition', '')) : '';
  const event = FONT_DEFINITION[name] ?? name;
  const nonInt = nonInterrupting(bo) ? 'non-interrupting-' : '';
  const concrete = concreteType(element);
  let icon: string;
  if (type === 'StartEvent') icon = `start-event-${event ? nonInt + event : 'none'}`;
  else if (type === 'EndEvent') icon = `end-event-${event || 'none'}`;
  else if (type === 'IntermediateThrowEvent')
    icon = event ? `intermediate-event-throw-${event}` : 'intermediate-event-none';
  else if (type === 'IntermediateCatchEvent' || type === 'BoundaryEvent')
    icon = event ? `intermediate-event-catch-${nonInt}${event}` : 'intermediate-event-none';
  else if (GATEWAYS[type]) icon = GATEWAYS[type]!;
  else if (concrete === 'DefaultFlow') icon = 'default-flow';
  else if (concrete === 'ConditionalFlow') icon = 'conditional-flow';
  else if (type === 'SequenceFlow' || type === 'MessageFlow' || type === 'Association') icon = 'connection';
  else if (concrete.endsWith('SubProcess'))
    icon = concrete.startsWith('Event')
      ? 'event-subprocess-expanded'
      : `subprocess-${concrete.startsWith('Expanded') ? 'expanded' : 'collapsed'}`;
  else if (type === 'Process' || type === 'Collaboration') icon = 'participant';
  else if (type === 'DataObjectReference') icon = 'data-object';
  else if (type === 'DataStoreReference') icon = 'data-store';
  else icon = kebab(type);
  return `bpmn-icon-${icon}`;
}

/**
 * The properties panel's header for this office: the element's name in the current language (`name-fa` in Dari,
 * `name` in English, each falling back on the other), its type through bpmn-js's `translate` (Dari in Dari), and
 * the bpmn-font icon of its type. Read at every render, so a language switch shows the other names.
 */
export function officeHeaderProvider(translate: Translate) {
  return {
    getElementLabel: (element: Shape) => headerName(element),
    getTypeLabel: (element: Shape) =>
      translate(
        concreteType(element)
          .replace(/(\B[A-Z])/g, ' $1')
          .replace(/(\bNon Interrupting)/g, '($1)'),
      ),
    getElementIcon: (element: Shape) => {
      const className = `rv-header-icon ${iconClass(element)}`;
      return () => h('span', { class: className, 'aria-hidden': 'true' });
    },
    getDocumentationRef: () => undefined,
  };
}

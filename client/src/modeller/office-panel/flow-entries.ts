import { h } from '@bpmn-io/properties-panel/preact';
import {
  TextAreaEntry,
  TextFieldEntry,
  isTextAreaEntryEdited,
  isTextFieldEntryEdited,
} from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { t } from '../../i18n/i18n.js';
import {
  isA,
  setAttributesCommand,
  type BpmnFactory,
  type DiagramElement,
  type ModdleElement,
} from './model-access.js';
import { runCommands, type CommandStack, type EntryProps, type PanelEntry } from './panel-kit.js';

function conditionOf(element: DiagramElement): string {
  const expr = element.businessObject.get('conditionExpression') as ModdleElement | undefined;
  const body = expr?.get('body');
  return typeof body === 'string' ? body : '';
}

/** A sequence flow's FEEL condition (`bpmn:conditionExpression`, a formal expression starting with `=`). */
function Condition({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  return h(TextAreaEntry, {
    element,
    id,
    label: t('panel.condition'),
    description: t('panel.condition.help'),
    debounce,
    rows: 2,
    monospace: true,
    getValue: () => conditionOf(element),
    validate: (v: string) =>
      !v?.trim() || v.trim().startsWith('=') || /^\$\{[^}]+\}$/.test(v.trim())
        ? null
        : t('panel.condition.invalid'),
    setValue: (v: string, error?: string | null) => {
      if (error) return;
      const text = v.trim();
      let expr: ModdleElement | undefined;
      if (text) {
        expr = bpmnFactory.create('bpmn:FormalExpression', { body: text });
        expr.$parent = element.businessObject;
      }
      runCommands(commandStack, [
        setAttributesCommand(element, element.businessObject, { conditionExpression: expr }),
      ]);
    },
  });
}

/** True for a flow that may carry a condition: out of an exclusive or inclusive gateway or an activity. */
function conditional(element: DiagramElement): boolean {
  const bo = element.businessObject;
  if (!isA(bo, 'bpmn:SequenceFlow')) return false;
  const source = bo.get('sourceRef') as ModdleElement | undefined;
  return (
    isA(source, 'bpmn:ExclusiveGateway') ||
    isA(source, 'bpmn:InclusiveGateway') ||
    isA(source, 'bpmn:Activity')
  );
}

export function conditionEntries(element: DiagramElement): PanelEntry[] {
  if (!conditional(element)) return [];
  return [
    { id: 'rv-condition', component: Condition as PanelEntry['component'], isEdited: isTextAreaEntryEdited },
  ];
}

/** A service task's Ravand service: `camunda:type="external"` and `camunda:topic` (processes/CONVENTIONS.md). */
function ServiceTopic({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  const bo = element.businessObject;
  return h(TextFieldEntry, {
    element,
    id,
    label: t('panel.service.topic'),
    description: t('panel.service.help'),
    debounce,
    getValue: () => (bo.get('camunda:topic') as string | undefined) ?? '',
    setValue: (v: string) => {
      const topic = v.trim() || undefined;
      runCommands(commandStack, [
        setAttributesCommand(element, bo, {
          'camunda:type': topic ? 'external' : undefined,
          'camunda:topic': topic,
        }),
      ]);
    },
  });
}

export function serviceEntries(): PanelEntry[] {
  return [
    {
      id: 'rv-service-topic',
      component: ServiceTopic as PanelEntry['component'],
      isEdited: isTextFieldEntryEdited,
    },
  ];
}

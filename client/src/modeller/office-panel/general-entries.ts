import { h } from '@bpmn-io/properties-panel/preact';
import { TextFieldEntry, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { t } from '../../i18n/i18n.js';
import {
  camundaProperty,
  processOf,
  setAttributesCommand,
  setCamundaPropertyCommands,
  type BpmnFactory,
  type DiagramElement,
  type ModdleElement,
} from './model-access.js';
import { runCommands, type CommandStack, type EntryProps, type PanelEntry } from './panel-kit.js';

/** The element whose names are edited: the process for the canvas root or a participant, else the element. */
function named(element: DiagramElement): ModdleElement {
  return processOf(element) ?? element.businessObject;
}

/** `name`: English, as the diagram shows it in English. */
function EnglishName({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const modeling = useService<{ updateLabel(e: unknown, v: string | undefined): void }>('modeling');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  const bo = named(element);
  return h(TextFieldEntry, {
    element,
    id,
    label: t('panel.nameEn'),
    debounce,
    getValue: () => bo.name ?? '',
    setValue: (value: string) => {
      const v = value.trim() ? value : undefined;
      if (bo === element.businessObject && !processOf(element)) modeling.updateLabel(element, v);
      else runCommands(commandStack, [setAttributesCommand(element, bo, { name: v })]);
    },
  });
}

/** `camunda:property name-fa`: the Dari name the office reads (processes/CONVENTIONS.md). */
function DariName({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  const bo = named(element);
  return h(TextFieldEntry, {
    element,
    id,
    label: t('panel.nameFa'),
    debounce,
    getValue: () => camundaProperty(bo, 'name-fa') ?? '',
    setValue: (value: string) =>
      runCommands(commandStack, setCamundaPropertyCommands(element, bo, 'name-fa', value, bpmnFactory)),
    validate: (value: string) => (value?.trim() ? null : t('panel.nameFa.missing')),
  });
}

/** The names of an element in both languages (the id entry stays bpmn-js's, which checks uniqueness). */
export function nameEntries(element: DiagramElement): PanelEntry[] {
  const bo = element.businessObject;
  // labels of the diagram furniture (annotations, groups) are not steps of the process
  if ((bo as { $instanceOf?(t: string): boolean }).$instanceOf?.('bpmn:TextAnnotation')) return [];
  return [
    { id: 'rv-name-en', component: EnglishName as PanelEntry['component'], isEdited: isTextFieldEntryEdited },
    { id: 'rv-name-fa', component: DariName as PanelEntry['component'], isEdited: isTextFieldEntryEdited },
  ];
}

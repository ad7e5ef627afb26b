import { h } from '@bpmn-io/properties-panel/preact';
import { TextAreaEntry, isTextAreaEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import type { DiagramElement, ModdleElement } from './model-access.js';
import type { PanelEntry } from './panel-kit.js';

type Translate = (template: string) => string;

/**
 * The element's documentation, as bpmn-js-properties-panel edits it, but with the translate service handed to
 * the text area (the library's own entry leaves its pop-up button's tooltip in English).
 */
export function documentationEntry(): PanelEntry {
  return {
    id: 'documentation',
    component: DocumentationEntry as PanelEntry['component'],
    isEdited: isTextAreaEntryEdited,
  };
}

function DocumentationEntry({ element }: { element: DiagramElement }) {
  const commandStack = useService<{ execute(name: string, ctx: object): void }>('commandStack');
  const bpmnFactory = useService<{ create(type: string, attrs: object): ModdleElement }>('bpmnFactory');
  const translate = useService<Translate>('translate');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  const bo = element.businessObject;
  const docs = () => (bo.get('documentation') as ModdleElement[] | undefined) ?? [];
  const plain = () => docs().find((d) => ((d.get('textFormat') as string) || 'text/plain') === 'text/plain');
  const setValue = (text: string) => {
    const doc = plain();
    if (doc && text)
      commandStack.execute('element.updateModdleProperties', {
        element,
        moddleElement: doc,
        properties: { text },
      });
    else if (doc)
      commandStack.execute('element.updateModdleProperties', {
        element,
        moddleElement: bo,
        properties: { documentation: docs().filter((d) => d !== doc) },
      });
    else if (text)
      commandStack.execute('element.updateModdleProperties', {
        element,
        moddleElement: bo,
        properties: { documentation: [...docs(), bpmnFactory.create('bpmn:Documentation', { text })] },
      });
  };
  return h(TextAreaEntry, {
    element,
    id: 'documentation',
    label: translate('Element documentation'),
    getValue: () => (plain()?.get('text') as string | undefined) ?? '',
    setValue,
    debounce,
    translate,
  });
}

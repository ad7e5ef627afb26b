import { i18n } from '../i18n/i18n.js';
import { dariName } from './element-label.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services and model objects are dynamic */
type Element = { businessObject?: any; labelTarget?: Element; label?: Element };

/**
 * In Dari, direct editing (double click, or a new element from the palette) edits the Dari name: the editor opens
 * with `name-fa` and writes it back as a `camunda:property` through modeling commands (so undo works).
 */
function DariLabelEditing(labelEditingProvider: any, modeling: any, bpmnFactory: any) {
  const activate = labelEditingProvider.activate.bind(labelEditingProvider);
  const update = labelEditingProvider.update.bind(labelEditingProvider);
  labelEditingProvider.activate = (element: Element) => {
    const context = activate(element);
    if (context && i18n.lang === 'fa')
      context.text = dariName((element.labelTarget ?? element).businessObject);
    return context;
  };
  labelEditingProvider.update = (element: Element, newLabel: string, ...rest: unknown[]) => {
    if (i18n.lang !== 'fa') return update(element, newLabel, ...rest);
    const target = element.labelTarget ?? element;
    setDariName(target, (newLabel ?? '').trim(), modeling, bpmnFactory);
  };
}
DariLabelEditing.$inject = ['labelEditingProvider', 'modeling', 'bpmnFactory'];

/** Sets (or, when empty, removes) an element's `name-fa` property with modeling commands. */
export function setDariName(element: Element, text: string, modeling: any, bpmnFactory: any): void {
  const bo = element.businessObject;
  let ext = bo.extensionElements;
  const props = ext?.values?.find((v: any) => v.$type === 'camunda:Properties');
  const prop = props?.values?.find((p: any) => p.name === 'name-fa');
  if (prop) {
    if (text) modeling.updateModdleProperties(element, prop, { value: text });
    else
      modeling.updateModdleProperties(element, props, {
        values: props.values.filter((p: any) => p !== prop),
      });
    return;
  }
  if (!text) return;
  const newProp = bpmnFactory.create('camunda:Property', { name: 'name-fa', value: text });
  if (props) {
    newProp.$parent = props;
    modeling.updateModdleProperties(element, props, { values: [...(props.values ?? []), newProp] });
    return;
  }
  const newProps = bpmnFactory.create('camunda:Properties', { values: [newProp] });
  newProp.$parent = newProps;
  if (ext) {
    newProps.$parent = ext;
    modeling.updateModdleProperties(element, ext, { values: [...(ext.values ?? []), newProps] });
    return;
  }
  ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [newProps] });
  newProps.$parent = ext;
  modeling.updateProperties(element, { extensionElements: ext });
}

/** The bpmn-js module: Dari direct editing (canvas labels: language-labels.ts). */
export const dariLabelsModule = {
  __init__: ['dariLabelEditing'],
  dariLabelEditing: ['type', DariLabelEditing],
};

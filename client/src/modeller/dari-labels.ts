import BaseRendererModule from 'diagram-js/lib/draw/BaseRenderer.js';
import { interopDefault } from '../bpmn/interop.js';
import { i18n } from '../i18n/i18n.js';
import { dariName } from './element-label.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services and model objects are dynamic */
const BaseRenderer = interopDefault(BaseRendererModule);
type Element = { businessObject?: any; labelTarget?: Element; label?: Element };

/** Calls `draw` with the element's `name` showing its Dari name, then puts the English name back. */
function withDari<T>(element: Element, draw: () => T): T {
  const bo = element.businessObject;
  const had = Object.prototype.hasOwnProperty.call(bo, 'name');
  const english = bo.name;
  bo.name = dariName(bo);
  try {
    return draw();
  } finally {
    if (had) bo.name = english;
    else delete bo.name;
  }
}

/**
 * In Dari, canvas labels show the Dari name (`name-fa`, processes/CONVENTIONS.md) and fall back to the English
 * one; the model keeps `name` English. Draws through bpmn-js's own renderer with the name swapped while it draws.
 */
class DariLabelRenderer extends BaseRenderer {
  static $inject = ['eventBus', 'bpmnRenderer', 'elementRegistry'];

  constructor(
    eventBus: any,
    private readonly bpmnRenderer: any,
    elementRegistry: { getAll(): Element[] },
  ) {
    super(eventBus, 1500);
    const refresh = () => eventBus.fire('elements.changed', { elements: elementRegistry.getAll() });
    eventBus.on('diagram.init', () => i18n.addEventListener('change', refresh));
    eventBus.on('diagram.destroy', () => i18n.removeEventListener('change', refresh));
    // an external label shows its element's name: redraw it when the element (its name-fa) changes
    eventBus.on('elements.changed', 2000, (e: { elements: Element[] }) => {
      const extra = e.elements
        .map((el) => el.label)
        .filter((l): l is Element => !!l && !e.elements.includes(l));
      e.elements.push(...extra);
    });
  }

  override canRender(element: Element): boolean {
    return (
      i18n.lang === 'fa' &&
      !!element.businessObject &&
      !!dariName(element.businessObject) &&
      this.bpmnRenderer.canRender(element)
    );
  }

  override drawShape(parentGfx: SVGElement, element: Element): SVGElement {
    return withDari(element, () => this.bpmnRenderer.drawShape(parentGfx, element));
  }

  override drawConnection(parentGfx: SVGElement, element: Element): SVGElement {
    return withDari(element, () => this.bpmnRenderer.drawConnection(parentGfx, element));
  }

  override getShapePath(shape: Element): string {
    return this.bpmnRenderer.getShapePath(shape);
  }

  override getConnectionPath(connection: Element): string {
    return this.bpmnRenderer.getConnectionPath(connection);
  }
}

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

/** The bpmn-js module: Dari labels on the canvas and Dari direct editing. */
export const dariLabelsModule = {
  __init__: ['dariLabelRenderer', 'dariLabelEditing'],
  dariLabelRenderer: ['type', DariLabelRenderer],
  dariLabelEditing: ['type', DariLabelEditing],
};

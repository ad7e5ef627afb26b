import BaseRendererModule from 'diagram-js/lib/draw/BaseRenderer.js';
import CommandInterceptorModule from 'diagram-js/lib/command/CommandInterceptor.js';
import {
  DEFAULT_LABEL_SIZE,
  getExternalLabelMid,
  isLabel,
  isLabelExternal,
} from 'bpmn-js/lib/util/LabelUtil.js';
import { interopDefault } from '../bpmn/interop.js';
import { i18n } from '../i18n/i18n.js';
import { labelText } from './element-label.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services and model objects are dynamic */
const BaseRenderer = interopDefault(BaseRendererModule);
const CommandInterceptor = interopDefault(CommandInterceptorModule);
type Shape = any;

/** Runs `draw` with the model element's `name` reading its name in the current language, then puts `name` back. */
function withLabelText<T>(bo: any, draw: () => T): T {
  const text = labelText(bo, i18n.lang);
  if (!bo || (bo.name ?? '') === text) return draw();
  const had = Object.prototype.hasOwnProperty.call(bo, 'name');
  const name = bo.name;
  bo.name = text;
  try {
    return draw();
  } finally {
    if (had) bo.name = name;
    else delete bo.name;
  }
}

/**
 * Canvas labels in the current language, the other one when it has none (`name` is English, `name-fa` Dari,
 * processes/CONVENTIONS.md); the model is never changed. An external label (events, gateways, flows) is laid out
 * at least as wide as bpmn-js's default label box and its longest word, so it wraps at spaces only: its bounds
 * were often measured for the other language's (shorter) text.
 */
class LanguageLabelRenderer extends BaseRenderer {
  static $inject = ['eventBus', 'bpmnRenderer', 'textRenderer', 'elementRegistry'];

  constructor(
    eventBus: any,
    private readonly bpmnRenderer: any,
    private readonly textRenderer: any,
    elementRegistry: { getAll(): Shape[] },
  ) {
    super(eventBus, 1500);
    // returns nothing: a diagram-js listener's return value would stop the event
    const refresh = (): void => {
      eventBus.fire('elements.changed', { elements: elementRegistry.getAll() });
    };
    eventBus.on('diagram.init', () => i18n.addEventListener('change', refresh));
    eventBus.on('diagram.destroy', () => i18n.removeEventListener('change', refresh));
    // an external label shows its element's name: redraw it when the element (its name-fa) changes
    eventBus.on('elements.changed', 2000, (e: { elements: Shape[] }) => {
      const extra = e.elements.map((el) => el.label).filter((l) => !!l && !e.elements.includes(l));
      e.elements.push(...extra);
    });
  }

  override canRender(element: Shape): boolean {
    return !!element.businessObject && this.bpmnRenderer.canRender(element);
  }

  override drawShape(parentGfx: SVGElement, element: Shape): SVGElement {
    return withLabelText(element.businessObject, () => {
      if (element.type !== 'label') return this.bpmnRenderer.drawShape(parentGfx, element);
      const width = this.layoutWidth(element);
      const extra = (width - element.width) / 2;
      // drawn in a wider box around the same centre
      const wide = Object.create(element, { width: { value: width }, x: { value: element.x - extra } });
      const text: SVGElement = this.bpmnRenderer.drawShape(parentGfx, wide);
      if (extra > 0) text.setAttribute('transform', `translate(${-extra}, 0)`);
      return text;
    });
  }

  override drawConnection(parentGfx: SVGElement, element: Shape): SVGElement {
    return withLabelText(element.businessObject, () => this.bpmnRenderer.drawConnection(parentGfx, element));
  }

  override getShapePath(shape: Shape): string {
    return this.bpmnRenderer.getShapePath(shape);
  }

  override getConnectionPath(connection: Shape): string {
    return this.bpmnRenderer.getConnectionPath(connection);
  }

  /** The external label's layout width: its own, bpmn-js's default, or its longest word's. */
  private layoutWidth(label: Shape): number {
    const style = this.textRenderer.getExternalStyle();
    const words: string[] = (label.businessObject?.name ?? '').split(/\s+/).filter(Boolean);
    const longest = Math.max(
      0,
      ...words.map(
        (w) => this.textRenderer.getDimensions(w, { box: { width: 1000, height: 100 }, style }).width,
      ),
    );
    return Math.ceil(Math.max(label.width, DEFAULT_LABEL_SIZE.width, longest + 4));
  }
}

/**
 * An element named in one language only still gets its external label: on import (bpmn-js creates labels only for
 * a `name`) and when a modeling command names it (the Dari name is a property, which bpmn-js does not watch).
 */
class LanguageLabelShapes extends CommandInterceptor {
  static override $inject = ['eventBus', 'bpmnImporter', 'modeling', 'textRenderer'];

  constructor(eventBus: any, bpmnImporter: any, modeling: any, textRenderer: any) {
    super(eventBus);
    const add = bpmnImporter.add.bind(bpmnImporter);
    // imported with the current language's name: the label exists, and its bounds fit that text
    bpmnImporter.add = (semantic: any, di: unknown, parent: unknown) =>
      withLabelText(semantic, () => add(semantic, di, parent));

    const ensureLabel = (e: { context: { element?: Shape } }): void => {
      const element = e.context.element;
      if (!element || isLabel(element) || element.label || !isLabelExternal(element)) return;
      const text = labelText(element.businessObject, i18n.lang);
      if (!text) return;
      const mid = getExternalLabelMid(element);
      const bounds = textRenderer.getExternalLabelBounds(DEFAULT_LABEL_SIZE, text);
      modeling.createLabel(
        element,
        { x: mid.x, y: mid.y + 7 },
        {
          id: `${element.businessObject.id}_label`,
          businessObject: element.businessObject,
          di: element.di,
          width: bounds.width,
          height: bounds.height,
        },
      );
    };
    // after bpmn-js's own label handling (it removes the label of an emptied English name)
    this.postExecuted(
      ['element.updateModdleProperties', 'element.updateProperties', 'element.updateLabel'],
      ensureLabel,
    );
  }
}

/** The bpmn-js module: labels in the current language, with the other as fallback, that wrap at spaces. */
export const languageLabelsModule = {
  __init__: ['languageLabelRenderer', 'languageLabelShapes'],
  languageLabelRenderer: ['type', LanguageLabelRenderer],
  languageLabelShapes: ['type', LanguageLabelShapes],
};

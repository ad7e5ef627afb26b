import { isLabel } from 'bpmn-js/lib/util/LabelUtil.js';
import { i18n } from '../i18n/i18n.js';
import { labelText } from './element-label.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services and model objects are dynamic */
type Token = { matched?: string; normal?: string };
type Found = { item: { element: any }; tokens: { label?: Token[]; id?: Token[] } };

/**
 * The search pad (Ctrl+F) over the names shown on the canvas: the current language's name, the other one when an
 * element has none (the `name-fa` Dari name in Dari), and ids. Replaces bpmn-js's provider, which reads `name` only.
 */
class LanguageSearchProvider {
  static $inject = ['elementRegistry', 'searchPad', 'canvas', 'search'];

  constructor(
    private readonly elementRegistry: any,
    searchPad: any,
    private readonly canvas: any,
    private readonly search: (items: object[], pattern: string, o: { keys: string[] }) => Found[],
  ) {
    searchPad.registerProvider(this);
    // the pad searches on keyup only: text pasted, or composed by a phone's keyboard or an input method, is
    // searched when it changes
    canvas.getContainer().addEventListener('input', (e: Event) => {
      const input = e.target as HTMLInputElement;
      if (input.matches('.djs-search-input input')) searchPad._search(input.value);
    });
  }

  find(pattern: string) {
    const roots = this.canvas.getRootElements();
    const elements = this.elementRegistry.filter((e: any) => !isLabel(e) && !roots.includes(e));
    const items = elements.map((element: any) => ({
      element,
      label: labelText(element.businessObject, i18n.lang),
      id: element.id,
    }));
    return this.search(items, pattern, { keys: ['label', 'id'] }).map(({ item, tokens }) => ({
      element: item.element,
      primaryTokens: tokens.label,
      secondaryTokens: tokens.id,
    }));
  }
}

/** The bpmn-js module: it takes bpmn-js's `bpmnSearch` service name, so only this provider is registered. */
export const languageSearchModule = {
  __init__: ['bpmnSearch'],
  bpmnSearch: ['type', LanguageSearchProvider],
};

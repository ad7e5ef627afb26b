import { i18n } from '../i18n/i18n.js';
import type { ModelerInstance } from '../bpmn/modeler.js';
import type { Registry } from './canvas-services.js';

interface BusinessObject {
  name?: string;
  extensionElements?: {
    values?: Array<{ $type: string; values?: Array<{ name?: string; value?: string }> }>;
  };
}

/** The Dari name (`name-fa` property) of a model element, or ''. */
export function dariName(bo: BusinessObject | undefined): string {
  for (const ext of bo?.extensionElements?.values ?? []) {
    if (ext.$type !== 'camunda:Properties') continue;
    const value = ext.values?.find((p) => p.name === 'name-fa')?.value;
    if (value?.trim()) return value.trim();
  }
  return '';
}

/** A model element's name in `lang` (the other language's when it has none), or ''. */
export function labelText(bo: BusinessObject | undefined, lang: string): string {
  const en = bo?.name?.trim() ?? '';
  const fa = dariName(bo);
  return lang === 'fa' ? fa || en : en || fa;
}

/** An element's name in the current language (the other language when it has none), or ''. */
export function elementLabel(modeler: ModelerInstance | undefined, id: string): string {
  const el = modeler?.get<Registry>('elementRegistry').get(id) as
    { businessObject?: BusinessObject } | undefined;
  return labelText(el?.businessObject, i18n.lang);
}

const CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn';
/** The last XML read (the diff asks for many names of one version). */
let parsed: { xml: string; byId: Map<string, Element> } | undefined;

/** An element's name in the current language read from BPMN XML (a deployed version), or ''. */
export function xmlLabel(xml: string, id: string): string {
  if (parsed?.xml !== xml) {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    parsed = {
      xml,
      byId: new Map([...doc.getElementsByTagName('*')].map((e) => [e.getAttribute('id') ?? '', e])),
    };
  }
  const el = parsed.byId.get(id);
  if (!el) return '';
  const en = el.getAttribute('name')?.trim() ?? '';
  const prop = [...el.getElementsByTagNameNS(CAMUNDA_NS, 'property')].find(
    (p) => p.getAttribute('name') === 'name-fa' && p.parentElement?.parentElement?.parentElement === el,
  );
  const fa = prop?.getAttribute('value')?.trim() ?? '';
  return i18n.lang === 'fa' ? fa || en : en || fa;
}

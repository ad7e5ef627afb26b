import type { Lang } from '../i18n/i18n.js';

const CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn';

/**
 * Diagram labels in the current language for the viewer: `name` is English; in Dari each element's
 * `camunda:property name="name-fa"` (processes/CONVENTIONS.md) replaces it. The modeller edits the original.
 */
export function localizeXml(xml: string, lang: Lang): string {
  if (lang !== 'fa') return xml;
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) return xml;
  for (const prop of Array.from(doc.getElementsByTagNameNS(CAMUNDA_NS, 'property'))) {
    if (prop.getAttribute('name') !== 'name-fa') continue;
    const value = prop.getAttribute('value');
    // property → camunda:properties → bpmn:extensionElements → the named element
    const owner = prop.parentElement?.parentElement?.parentElement;
    if (value && owner) owner.setAttribute('name', value);
  }
  return new XMLSerializer().serializeToString(doc);
}

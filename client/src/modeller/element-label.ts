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

/** An element's name in the current language (the other language when it has none), or ''. */
export function elementLabel(modeler: ModelerInstance | undefined, id: string): string {
  const el = modeler?.get<Registry>('elementRegistry').get(id) as
    { businessObject?: BusinessObject } | undefined;
  const bo = el?.businessObject;
  const en = bo?.name?.trim() ?? '';
  const fa = dariName(bo);
  return i18n.lang === 'fa' ? fa || en : en || fa;
}

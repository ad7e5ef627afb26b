import { html, nothing, type TemplateResult } from 'lit';
import { i18n, t } from '../i18n/i18n.js';
import { directory } from '../services/directory.js';
import type { FieldSchema } from './form-schema.js';
import { fileLinks, fileValues, isLetterValue, letterSummary } from './file-links.js';
import { SERVICE_VARIABLES } from './variable-labels.js';
import '../components/rv-date.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** "policyRecordedAt" → "Policy recorded at": the last resort for a variable no form or service labels. */
function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of a variable: its form field's `x-label`, a service variable's label, else its name in words. */
export function variableLabel(name: string, field: FieldSchema | undefined): string {
  return i18n.text(field?.['x-label']) || i18n.text(SERVICE_VARIABLES[name]) || humanise(name);
}

const join = (parts: string[]) => parts.join(i18n.lang === 'fa' ? '، ' : ', ');

/** A code shown as a name: province, group, person (login on hover), or the value itself. */
function named(name: string, value: string): TemplateResult {
  if (/province/i.test(name) && directory.knows('province', value))
    return html`<span title=${value}>${directory.provinceName(value)}</span>`;
  if (directory.knows('group', value)) return html`<span title=${value}>${directory.groupName(value)}</span>`;
  if (directory.knows('user', value)) return html`<span title=${value}>${directory.userName(value)}</span>`;
  return html`<bdi>${value}</bdi>`;
}

/** A plain-text form of a value (for names inside a sentence): enum labels, names for codes, yes/no. */
export function valueText(name: string, field: FieldSchema | undefined, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field?.['x-widget'] === 'file') return join(fileValues(value).map((f) => f.name || f.id)) || '—';
  if (isLetterValue(value)) return value.number;
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (Array.isArray(value)) return join(value.map((v) => valueText(name, field?.items, v)));
  if (typeof value === 'object') return '…';
  const s = String(value);
  const enumLabel = field?.['x-enum-labels']?.[s];
  if (enumLabel) return i18n.text(enumLabel);
  if (/province/i.test(name) && directory.knows('province', s)) return directory.provinceName(s);
  if (directory.knows('group', s)) return directory.groupName(s);
  if (directory.knows('user', s)) return directory.userName(s);
  return s;
}

/**
 * A variable's value for people: enum labels, province/group/person names for codes, Solar Hijri dates, yes/no,
 * rows of a table with their column labels; text that may mix scripts is isolated (`<bdi>`).
 */
export function displayValue(name: string, field: FieldSchema | undefined, value: unknown): TemplateResult {
  if (value === null || value === undefined || value === '') return html`—`;
  if (field?.['x-widget'] === 'file') return fileLinks(value);
  if (isLetterValue(value)) return letterSummary(value);
  if (typeof value === 'boolean') return html`${value ? t('common.yes') : t('common.no')}`;
  if (typeof value === 'number') return html`<bdi>${i18n.number(value)}</bdi>`;
  if (typeof value === 'string') {
    const enumLabel = field?.['x-enum-labels']?.[value];
    if (enumLabel) return html`${i18n.text(enumLabel)}`;
    if (field?.format === 'date' || (!field && ISO_DATE.test(value)))
      return html`<rv-date date-only .value=${value}></rv-date>`;
    if (field?.format === 'date-time' || ISO_DATE_TIME.test(value))
      return html`<rv-date .value=${value}></rv-date>`;
    return named(name, value);
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null))
      return html`${value.map((v, i) => html`${i ? (i18n.lang === 'fa' ? '، ' : ', ') : nothing}${displayValue(name, field?.items, v)}`)}`;
    return html`<ol class="rows">
      ${value.map((row) => html`<li>${displayValue(name, field?.items, row)}</li>`)}
    </ol>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return html`${entries.map(
      ([k, v], i) =>
        html`${i ? ' · ' : nothing}<span class="sub"
            >${variableLabel(k, field?.properties?.[k])}: ${displayValue(k, field?.properties?.[k], v)}</span
          >`,
    )}`;
  }
  return html`<bdi>${String(value)}</bdi>`;
}

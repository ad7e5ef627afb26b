import { formatHijriNumeric, isoToHijri } from '../i18n/hijri.js';
import { i18n, type I18nText } from '../i18n/i18n.js';
import { isShown, type ShowIf } from './form-visibility.js';

/** One field of a task form: JSON Schema plus Ravand's display keywords (processes/CONVENTIONS.md, Forms). */
export interface FieldSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  enum?: Array<string | number>;
  const?: unknown;
  format?: 'date' | 'date-time' | 'email' | 'uri' | string;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  items?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  required?: string[];
  uniqueItems?: boolean;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  'x-label'?: I18nText;
  'x-help'?: I18nText;
  'x-widget'?: 'textarea' | 'select' | 'radio' | 'checkboxes' | 'date' | string;
  'x-enum-labels'?: Record<string, I18nText>;
  'x-errors'?: Record<string, I18nText>;
  /** Earliest and latest allowed day of a date field (`YYYY-MM-DD`). */
  'x-min'?: string;
  'x-max'?: string;
  /** Shown only when another field has a value (form-visibility.ts). */
  'x-show-if'?: ShowIf;
  /** Where a picker's options came from (`groups`, `users`, `provinces`), so the designer can refresh them. */
  'x-source'?: string;
}

/** A whole form schema as served by GET /api/forms/:formKey (and inside GET /api/tasks/:id). */
export interface FormSchema extends FieldSchema {
  $id?: string;
  'x-title'?: I18nText;
  /** Field order for display (defaults to the order of `properties`). */
  'x-order'?: string[];
  if?: FieldSchema;
  then?: FieldSchema;
  else?: FieldSchema;
  allOf?: Array<{ if?: FieldSchema; then?: FieldSchema; else?: FieldSchema & { not?: FieldSchema } }>;
  additionalProperties?: boolean;
}

export interface FieldError {
  /** Path of the field, dot-separated (`travellers.0.name`); empty for the whole form. */
  field: string;
  keyword: string;
  message: I18nText;
}

export type FormData = Record<string, unknown>;

/** Server field paths come as `/a/0/b`, `a/0/b` or `a.0.b`: one form for matching. */
export function normaliseField(field: string): string {
  return field.replace(/^[/.]+/, '').replace(/\//g, '.');
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Whether the `if` part of a conditional matches (const/enum on properties, as the office's forms use). */
function matches(cond: FieldSchema, data: FormData): boolean {
  for (const [name, rule] of Object.entries(cond.properties ?? {})) {
    const v = data[name];
    if (rule.const !== undefined && v !== rule.const) return false;
    if (rule.enum && !rule.enum.includes(v as string)) return false;
  }
  for (const name of cond.required ?? []) if (isEmpty(data[name])) return false;
  return true;
}

/** The required fields of the form for this data, with simple if/then/else conditions applied. */
export function requiredFields(schema: FormSchema, data: FormData): Set<string> {
  const required = new Set(schema.required ?? []);
  const conditions = [
    ...(schema.if ? [{ if: schema.if, then: schema.then, else: schema.else }] : []),
    ...(schema.allOf ?? []),
  ];
  for (const c of conditions) {
    if (!c.if) continue;
    const branch = matches(c.if, data) ? c.then : c.else;
    for (const name of branch?.required ?? []) required.add(name);
  }
  return required;
}

/** "between 1368-10-11 and 1480-10-10" in Solar Hijri (each language's digits). */
function dateRange(min: string, max: string): I18nText {
  const fill = (lang: 'fa' | 'en') => {
    const show = (iso: string) => {
      const h = isoToHijri(iso);
      return h ? formatHijriNumeric(h, lang) : iso;
    };
    return i18n.pair('form.dateRange', { min: show(min), max: show(max) })[lang];
  };
  return { fa: fill('fa'), en: fill('en') };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fieldErrors(path: string, field: FieldSchema, value: unknown, custom?: I18nText): FieldError[] {
  const err = (keyword: string, key: Parameters<typeof i18n.pair>[0], params?: Record<string, number>) => [
    { field: path, keyword, message: custom ?? i18n.pair(key, params) },
  ];
  if (isEmpty(value)) return [];
  switch (field.type) {
    case 'string': {
      const s = String(value);
      if (field.enum && !field.enum.includes(s)) return err('enum', 'form.enum');
      if (field.maxLength !== undefined && [...s].length > field.maxLength)
        return err('maxLength', 'form.maxLength', { limit: field.maxLength });
      if (field.minLength !== undefined && [...s].length < field.minLength)
        return err('minLength', 'form.minLength', { limit: field.minLength });
      if (field.format === 'email' && !EMAIL.test(s)) return err('format', 'form.email');
      if (field.format === 'uri' && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(s)) return err('format', 'form.uri');
      if (field.format === 'date' && !DATE.test(s)) return err('format', 'form.date');
      if (field.format === 'date-time' && (!DATE.test(s.slice(0, 10)) || Number.isNaN(Date.parse(s))))
        return err('format', 'form.dateTime');
      if (field.format === 'date' || field.format === 'date-time') {
        // the server's window (server/engine/date-bounds.ts): a Hijri year typed as Gregorian falls outside
        const min = field['x-min'] ?? '1990-01-01';
        const max = field['x-max'] ?? '2100-12-31';
        const day = s.slice(0, 10);
        if (day < min || day > max)
          return [{ field: path, keyword: 'x-range', message: dateRange(min, max) }];
      }
      return [];
    }
    case 'integer':
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return err('type', 'form.number');
      if (field.type === 'integer' && !Number.isInteger(n)) return err('type', 'form.integer');
      if (field.minimum !== undefined && n < field.minimum)
        return err('minimum', 'form.minimum', { limit: field.minimum });
      if (field.maximum !== undefined && n > field.maximum)
        return err('maximum', 'form.maximum', { limit: field.maximum });
      return [];
    }
    case 'array': {
      const list = Array.isArray(value) ? value : [];
      if (field.minItems !== undefined && list.length < field.minItems)
        return err('minItems', 'form.minItems', { limit: field.minItems });
      if (field.maxItems !== undefined && list.length > field.maxItems)
        return err('maxItems', 'form.maxItems', { limit: field.maxItems });
      if (field.items?.type === 'object') {
        const out: FieldError[] = [];
        list.forEach((row, i) =>
          out.push(...validateObject(field.items!, (row ?? {}) as FormData, `${path}.${i}`)),
        );
        return out;
      }
      return [];
    }
    default:
      return [];
  }
}

function validateObject(schema: FormSchema, data: FormData, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  const required = requiredFields(schema, data);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (!isShown(field, data)) continue;
    const custom = prefix ? undefined : schema['x-errors']?.[name];
    const value = data[name];
    if (required.has(name) && (isEmpty(value) || (field.type === 'boolean' && value === undefined))) {
      if (field.type !== 'array' || (field.minItems ?? 1) > 0) {
        errors.push({ field: path, keyword: 'required', message: custom ?? i18n.pair('form.required') });
        continue;
      }
    }
    errors.push(...fieldErrors(path, field, value, custom));
  }
  return errors;
}

/**
 * Checks what can be checked before sending (required incl. simple if/then, lengths, ranges, formats,
 * enums, item counts); the server's ajv validation stays the authority and its 422 errors are shown as well.
 */
export function validateForm(schema: FormSchema, data: FormData): FieldError[] {
  return validateObject(schema, data, '');
}

/** Drops empty optional values so the server sees only what the user entered. */
export function cleanData(schema: FieldSchema, data: FormData): FormData {
  const out: FormData = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const v = data[name];
    if (v === undefined || v === null || v === '' || !isShown(field, data)) continue;
    if (field.type === 'array' && field.items?.type === 'object' && Array.isArray(v)) {
      out[name] = v.map((row) => cleanData(field.items!, (row ?? {}) as FormData));
    } else {
      out[name] = v;
    }
  }
  return out;
}

/** The form's fields in display order: `x-order` first, then any others in schema order. */
export function orderedFields(schema: FormSchema): Array<[string, FieldSchema]> {
  const props = schema.properties ?? {};
  const order = (schema['x-order'] ?? []).filter((name) => name in props);
  const rest = Object.keys(props).filter((name) => !order.includes(name));
  return [...order, ...rest].map((name) => [name, props[name]!]);
}

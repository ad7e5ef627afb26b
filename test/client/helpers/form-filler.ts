import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { projectRoot } from '../../../server/project-root.js';

/** The part of a form's JSON Schema the filler reads (schemas/forms/*.json). */
export interface FillerField {
  type?: string;
  format?: string;
  enum?: Array<string | number>;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  items?: FillerField & { properties?: Record<string, FillerField>; required?: string[] };
  properties?: Record<string, FillerField>;
  required?: string[];
  'x-widget'?: string;
  'x-label'?: { fa: string; en: string };
}

export interface FillerSchema {
  properties?: Record<string, FillerField>;
  required?: string[];
  allOf?: Array<{ if?: unknown; then?: { required?: string[] }; else?: unknown }>;
  if?: unknown;
  else?: unknown;
}

/** A form's JSON Schema by its key. */
export function formSchema(formKey: string): FillerSchema {
  return JSON.parse(
    fs.readFileSync(path.join(projectRoot(), 'schemas', 'forms', `${formKey}.json`), 'utf8'),
  ) as FillerSchema;
}

/** Enum values that move a case forward (approve rather than return), in order of preference. */
const FORWARD = [
  'approve',
  'approved',
  'accept',
  'sign',
  'support',
  'yes',
  'closed',
  'none',
  'completed',
  'implemented',
  'on-track',
  'met',
  'answer',
  'not-required',
  'no-extension',
  'high',
  'positive',
  'reminded',
  'electronic',
  'email',
];

/** Picked for province and department lists, so the tasks they fan out to have demo users. */
const LIST_CHOICES: Record<string, string[]> = { provinces: ['kab'], departments: ['legal'] };

/** `YYYY-MM-DD` in Kabul, `days` from the (possibly faked) now. */
function kabulDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 4.5 * 3_600_000).toISOString().slice(0, 10);
}

function dateFor(name: string): string {
  if (/return|end|due/i.test(name)) return kabulDay(40);
  if (/depart|start|event|submission|effective/i.test(name)) return kabulDay(25);
  return kabulDay(0);
}

function textFor(name: string, field: FillerField): string {
  if (field.format === 'email') return 'office@example.af';
  if (field.format === 'uri') return 'https://example.af/news/1';
  if (field.pattern) return '+93 700 123 456';
  const base = `متن آزمایشی ${name}`;
  let text = base;
  while (text.length < (field.minLength ?? 0)) text += ` ${base}`;
  return field.maxLength ? text.slice(0, field.maxLength) : text;
}

function valueFor(name: string, field: FillerField): unknown {
  if (field.enum) return FORWARD.find((v) => field.enum!.includes(v)) ?? field.enum[0];
  if (field.type === 'boolean') return true;
  if (field.type === 'integer' || field.type === 'number') {
    if (field.maximum !== undefined && field.maximum <= 100) return field.maximum;
    return Math.max(field.minimum ?? 0, /year/i.test(name) ? 1405 : 3);
  }
  if (field.type === 'array' && field.items?.enum) {
    const preferred = (LIST_CHOICES[name] ?? []).filter((v) => field.items!.enum!.includes(v));
    return preferred.length ? preferred : [field.items.enum[0]];
  }
  if (field.type === 'array' && field.items?.type === 'object') {
    const row: Record<string, unknown> = {};
    for (const [sub, subField] of Object.entries(field.items.properties ?? {}))
      row[sub] = valueFor(sub, subField);
    return [row];
  }
  if (field.format === 'date') return dateFor(name);
  return textFor(name, field);
}

/**
 * Valid data for a form: every field filled, choosing the option that moves the case forward; fields that a
 * conditional `else: not required` forbids (an extension's days when not extending) are left out.
 */
export function validData(schema: FillerSchema): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {}))
    // file fields take an upload through the page (rv-file-field); the office's are optional, so left empty
    if (field['x-widget'] !== 'file') data[name] = valueFor(name, field);
  const rules = schema.allOf ?? (schema.if ? [schema] : []);
  for (const rule of rules) {
    const forbidden = JSON.stringify(rule.else ?? {}).match(/"required":\["([^"]+)"\]/g) ?? [];
    const cond = rule.if as
      { properties?: Record<string, { const?: unknown; enum?: unknown[] }> } | undefined;
    const matches = Object.entries(cond?.properties ?? {}).every(([k, c]) =>
      c.const !== undefined ? data[k] === c.const : (c.enum ?? []).includes(data[k]),
    );
    if (!matches)
      for (const f of forbidden) {
        const name = /"required":\["([^"]+)"\]/.exec(f)![1]!;
        delete data[name];
      }
  }
  return data;
}

/**
 * Fills `<rv-json-form>` through its controls, field by field as a person would (radio, select, checkbox,
 * text, number, date, rows of objects), and clicks its submit button.
 */
export async function fillForm(
  page: Page,
  form: Locator,
  schema: FillerSchema,
  data: Record<string, unknown>,
) {
  await form.locator('form').waitFor();
  // the element's id prefix (one per form on the page): test-only read of its private field
  const uid = await form.evaluate((el) => (el as unknown as { _uid: string })._uid);
  // a field's control: `<uid>-a.0.b` (ids by path), or `<uid>-a-0-b` in older builds; options add `:i` / `-i`
  const byId = (id: string) => {
    const parts = id.split('\u0000');
    const option = parts[1];
    const dotted = `${uid}-${parts[0]!.split('/').join('.')}`;
    const dashed = `${uid}-${parts[0]!.split('/').join('-')}`;
    return option === undefined
      ? form.locator(`[id="${dotted}"], [id="${dashed}"]`)
      : form.locator(`[id="${dotted}:${option}"], [id="${dashed}-${option}"]`);
  };
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (!(name in data)) continue;
    await fillField(page, form, byId, [name], field, data[name]);
  }
}

async function fillField(
  page: Page,
  form: Locator,
  byId: (id: string) => Locator,
  pathParts: string[],
  field: FillerField,
  value: unknown,
): Promise<void> {
  const id = pathParts.join('/');
  const option = (i: number) => `${id}\u0000${i}`;
  if (field.type === 'string' && field.enum) {
    const index = field.enum.indexOf(value as string);
    const radio = byId(option(index));
    if (await radio.count()) await radio.check();
    else await byId(id).selectOption(String(value));
    return;
  }
  if (field.type === 'boolean') {
    await byId(id).setChecked(value === true);
    return;
  }
  if (field.type === 'array' && field.items?.enum) {
    const values = value as string[];
    if (field['x-widget'] === 'select') {
      await byId(id).selectOption(values);
      return;
    }
    for (const v of values) await byId(option(field.items.enum.indexOf(v))).check();
    return;
  }
  if (field.type === 'array' && field.items?.type === 'object') {
    const rows = value as Array<Record<string, unknown>>;
    const label = field['x-label']?.fa ?? pathParts[pathParts.length - 1]!;
    const fieldset = form.locator('fieldset', { has: page.locator('legend', { hasText: label }) }).first();
    for (let i = 0; i < rows.length; i++) {
      await fieldset.locator(':scope > button').click();
      for (const [sub, subField] of Object.entries(field.items.properties ?? {}))
        await fillField(page, form, byId, [...pathParts, String(i), sub], subField, rows[i]![sub]);
    }
    return;
  }
  if (field.format === 'date') {
    // a native date input takes the ISO day; the Solar Hijri picker takes the day typed in its calendar
    const input = byId(id);
    const native = (await input.getAttribute('type')) === 'date';
    await input.fill(native ? String(value) : solarHijri(String(value)));
    return;
  }
  await byId(id).fill(String(value));
}

/** `2026-12-24` → `1405-10-03` (Solar Hijri, through the platform's Persian calendar). */
function solarHijri(isoDay: string): string {
  const parts = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'UTC',
  }).formatToParts(new Date(`${isoDay}T12:00:00Z`));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year').replace(/\D/g, '')}-${get('month')}-${get('day')}`;
}

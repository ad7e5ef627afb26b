import fs from 'node:fs/promises';
import path from 'node:path';
import type { ApiDeps } from './api-deps.js';
import type { RouteHandler } from './route-kit.js';

interface I18n {
  fa: string;
  en: string;
}

export interface FormSummary {
  key: string;
  title: I18n;
  fields: Array<{ name: string; label: I18n; type: string; required: boolean }>;
}

const FORM_FILE = /^([A-Za-z0-9][A-Za-z0-9_-]{0,99})\.json$/;

function text(value: unknown, fallback: string): I18n {
  const v = (value ?? {}) as Partial<I18n>;
  const fa = typeof v.fa === 'string' && v.fa ? v.fa : undefined;
  const en = typeof v.en === 'string' && v.en ? v.en : undefined;
  return { fa: fa ?? en ?? fallback, en: en ?? fa ?? fallback };
}

/** A field's kind as the manager thinks of it: choice, date, number, list, … (from the JSON Schema). */
function fieldType(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return 'choice';
  if (schema.type === 'array') return 'list';
  if (schema.type === 'string' && (schema.format === 'date' || schema.format === 'date-time')) return 'date';
  if (schema['x-widget'] === 'textarea') return 'textarea';
  return typeof schema.type === 'string' ? schema.type : 'text';
}

/** The key, title and top-level fields of one form's JSON Schema. */
export function summarizeForm(key: string, schema: Record<string, unknown>): FormSummary {
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const order = Array.isArray(schema['x-order']) ? (schema['x-order'] as string[]) : [];
  const names = [...order.filter((n) => n in props), ...Object.keys(props).filter((n) => !order.includes(n))];
  return {
    key,
    title: text(schema['x-title'], key),
    fields: names.map((name) => ({
      name,
      label: text(props[name]!['x-label'], name),
      type: fieldType(props[name]!),
      required: required.has(name),
    })),
  };
}

/** `GET /api/forms`: the forms of the forms folder, read on each call (a deployment may add files). */
export function formListHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  return {
    async listForms() {
      const files = (await fs.readdir(deps.formsDir)).filter((f) => FORM_FILE.test(f)).sort();
      const items: FormSummary[] = [];
      for (const file of files) {
        try {
          const schema = JSON.parse(await fs.readFile(path.join(deps.formsDir, file), 'utf8')) as Record<
            string,
            unknown
          >;
          items.push(summarizeForm(FORM_FILE.exec(file)![1]!, schema));
        } catch {
          // a file that is not valid JSON is not a form the engine could run: left out
        }
      }
      return { items };
    },
  };
}

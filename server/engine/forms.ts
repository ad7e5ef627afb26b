import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { AppError } from '../app-error.js';
import { dateBoundErrors } from './date-bounds.js';
import type { I18nText } from './types.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** The display keywords of Ravand forms (processes/CONVENTIONS.md), registered as an ajv vocabulary. */
export const FORM_VOCABULARY = [
  'x-title',
  'x-label',
  'x-enum-labels',
  'x-help',
  'x-widget',
  'x-errors',
  'x-order',
  'x-min',
  'x-max',
];

export interface FormFieldError {
  field: string;
  keyword: string;
  message: I18nText;
}

const FORM_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

function generic(e: ErrorObject): I18nText {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { fa: 'این خانه لازمی است.', en: 'This field is required.' };
    case 'type':
      return {
        fa: `نوع مقدار درست نیست (${String(p.type)}).`,
        en: `The value must be of type ${String(p.type)}.`,
      };
    case 'enum':
      return { fa: 'یکی از گزینه‌های موجود را انتخاب کنید.', en: 'Choose one of the allowed options.' };
    case 'maxLength':
      return { fa: `حداکثر ${String(p.limit)} حرف مجاز است.`, en: `At most ${String(p.limit)} characters.` };
    case 'minLength':
      return { fa: `حداقل ${String(p.limit)} حرف لازم است.`, en: `At least ${String(p.limit)} characters.` };
    case 'minimum':
    case 'exclusiveMinimum':
      return {
        fa: `مقدار باید حداقل ${String(p.limit)} باشد.`,
        en: `The value must be at least ${String(p.limit)}.`,
      };
    case 'maximum':
    case 'exclusiveMaximum':
      return {
        fa: `مقدار باید حداکثر ${String(p.limit)} باشد.`,
        en: `The value must be at most ${String(p.limit)}.`,
      };
    case 'format':
      return {
        fa: `قالب مقدار درست نیست (${String(p.format)}).`,
        en: `The value is not a valid ${String(p.format)}.`,
      };
    case 'additionalProperties':
      return {
        fa: `خانهٔ ناشناخته: ${String(p.additionalProperty)}.`,
        en: `Unknown field: ${String(p.additionalProperty)}.`,
      };
    case 'uniqueItems':
      return { fa: 'گزینه‌ها نباید تکراری باشند.', en: 'Items must not repeat.' };
    case 'minItems':
      return {
        fa: `حداقل ${String(p.limit)} مورد لازم است.`,
        en: `At least ${String(p.limit)} items are required.`,
      };
    case 'maxItems':
      return {
        fa: `حداکثر ${String(p.limit)} مورد مجاز است.`,
        en: `At most ${String(p.limit)} items are allowed.`,
      };
    case 'pattern':
      return { fa: 'قالب مقدار درست نیست.', en: 'The value does not have the expected pattern.' };
    default:
      return { fa: 'مقدار معتبر نیست.', en: 'The value is not valid.' };
  }
}

/**
 * The task forms: JSON Schemas in a folder (`schemas/forms/<formKey>.json`), compiled once by ajv (draft
 * 2020-12, allErrors, formats, the x- vocabulary). Completing a task validates its data here.
 */
export class FormRegistry {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<
    string,
    { schema: Record<string, unknown>; validate: ValidateFunction }
  >();

  constructor(readonly folder: string) {
    this.ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(this.ajv);
    this.ajv.addVocabulary(FORM_VOCABULARY);
  }

  private file(formKey: string): string | undefined {
    if (!FORM_KEY.test(formKey)) return undefined;
    return path.join(this.folder, `${formKey}.json`);
  }

  /** True when `<folder>/<formKey>.json` exists. */
  has(formKey: string): boolean {
    if (this.compiled.has(formKey)) return true;
    const file = this.file(formKey);
    return !!file && fs.existsSync(file);
  }

  /** The form's JSON Schema (for the client). */
  schema(formKey: string): Record<string, unknown> {
    return this.load(formKey).schema;
  }

  private load(formKey: string) {
    let entry = this.compiled.get(formKey);
    if (entry) return entry;
    const file = this.file(formKey);
    if (!file || !fs.existsSync(file)) throw new AppError('RV_ERR_BPMN_UNKNOWN_FORM', { formKey });
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    // the $id would clash when a changed file is compiled again; forms are addressed by key
    const { $id: _id, ...rest } = schema;
    entry = { schema, validate: this.ajv.compile(rest) };
    this.compiled.set(formKey, entry);
    return entry;
  }

  /** Per-field errors in both languages (x-errors overrides the generic message); empty when valid. */
  errors(formKey: string, data: unknown): FormFieldError[] {
    const { schema, validate } = this.load(formKey);
    if (validate(data)) return dateBoundErrors(schema, data);
    const custom = (schema['x-errors'] ?? {}) as Record<string, I18nText>;
    const out: FormFieldError[] = [];
    const seen = new Set<string>();
    for (const e of validate.errors ?? []) {
      if (e.keyword === 'if') continue;
      const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const missing = (e.params as { missingProperty?: string }).missingProperty;
      const field = e.keyword === 'required' && missing ? (base ? `${base}.${missing}` : missing) : base;
      const key = `${field}|${e.keyword}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const top = field.split('.')[0] ?? '';
      out.push({ field, keyword: e.keyword, message: custom[field] ?? custom[top] ?? generic(e) });
    }
    const shown = new Set(out.map((e) => e.field));
    out.push(...dateBoundErrors(schema, data).filter((e) => !shown.has(e.field)));
    return out;
  }

  /** Throws 422 RV_ERR_FORM_INVALID with `details.errors` when `data` does not fit the form. */
  validate(formKey: string, data: unknown): void {
    const errors = this.errors(formKey, data);
    if (errors.length) throw new AppError('RV_ERR_FORM_INVALID', { formKey, errors });
  }
}

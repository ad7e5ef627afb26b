import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { AppError } from '../app-error.js';
import { dateBoundErrors } from './date-bounds.js';
import { FORM_KEY_PATTERN, formSchemaProblems, type FormSchemaProblem } from './form-schema-rules.js';
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
  'x-show-if',
  'x-source',
];

export interface FormFieldError {
  field: string;
  keyword: string;
  message: I18nText;
}

const FORM_KEY = FORM_KEY_PATTERN;

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

type FormSchemaObject = Record<string, unknown>;
interface CompiledForm {
  schema: FormSchemaObject;
  validate: ValidateFunction;
}

/**
 * The task forms, compiled once by ajv (draft 2020-12, allErrors, formats, the x- vocabulary): the forms a
 * deployment carried, per definition version (`<key>:<version>`), first, then the repository's JSON Schemas
 * (`schemas/forms/<formKey>.json`). Completing a task validates its data here against its own version's form.
 */
export class FormRegistry {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, CompiledForm>();
  /** Forms deployed with a definition version, by definition id then form key. */
  private readonly deployed = new Map<string, Map<string, CompiledForm>>();

  constructor(readonly folder: string) {
    this.ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(this.ajv);
    this.ajv.addVocabulary(FORM_VOCABULARY);
  }

  private file(formKey: string): string | undefined {
    if (!FORM_KEY.test(formKey)) return undefined;
    return path.join(this.folder, `${formKey}.json`);
  }

  /** Problems that keep these forms from being deployed (meta-validation and Ravand's conventions). */
  problems(forms: Record<string, unknown>): FormSchemaProblem[] {
    return Object.entries(forms).flatMap(([key, schema]) => formSchemaProblems(this.ajv, key, schema));
  }

  /** Remembers (and compiles) the forms stored with a definition version; idempotent. */
  useDeployed(definitionId: string, forms: Record<string, FormSchemaObject> | undefined): void {
    if (!forms || this.deployed.has(definitionId)) return;
    const map = new Map<string, CompiledForm>();
    for (const [key, schema] of Object.entries(forms)) map.set(key, this.compile(schema));
    this.deployed.set(definitionId, map);
  }

  /** Whether the definition version carries this form (not counting the repository). */
  carries(formKey: string, definitionId: string | undefined): boolean {
    return !!definitionId && !!this.deployed.get(definitionId)?.has(formKey);
  }

  /** Form keys in the repository folder. */
  repositoryKeys(): string[] {
    if (!fs.existsSync(this.folder)) return [];
    return fs
      .readdirSync(this.folder)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .filter((k) => FORM_KEY.test(k))
      .sort();
  }

  /** True when the definition version carries the form or `<folder>/<formKey>.json` exists. */
  has(formKey: string, definitionId?: string): boolean {
    if (this.carries(formKey, definitionId)) return true;
    if (this.compiled.has(formKey)) return true;
    const file = this.file(formKey);
    return !!file && fs.existsSync(file);
  }

  /** The form's JSON Schema (for the client): the definition version's own, else the repository's. */
  schema(formKey: string, definitionId?: string): Record<string, unknown> {
    return this.load(formKey, definitionId).schema;
  }

  private compile(schema: FormSchemaObject): CompiledForm {
    // the $id would clash when a changed form is compiled again; forms are addressed by key
    const { $id: _id, $schema: _s, ...rest } = schema;
    return { schema, validate: this.ajv.compile(rest) };
  }

  private load(formKey: string, definitionId?: string): CompiledForm {
    const own = definitionId ? this.deployed.get(definitionId)?.get(formKey) : undefined;
    if (own) return own;
    let entry = this.compiled.get(formKey);
    if (entry) return entry;
    const file = this.file(formKey);
    if (!file || !fs.existsSync(file)) throw new AppError('RV_ERR_BPMN_UNKNOWN_FORM', { formKey });
    entry = this.compile(JSON.parse(fs.readFileSync(file, 'utf8')) as FormSchemaObject);
    this.compiled.set(formKey, entry);
    return entry;
  }

  /** Per-field errors in both languages (x-errors overrides the generic message); empty when valid. */
  errors(formKey: string, data: unknown, definitionId?: string): FormFieldError[] {
    const { schema, validate } = this.load(formKey, definitionId);
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
  validate(formKey: string, data: unknown, definitionId?: string): void {
    const errors = this.errors(formKey, data, definitionId);
    if (errors.length) throw new AppError('RV_ERR_FORM_INVALID', { formKey, errors });
  }
}

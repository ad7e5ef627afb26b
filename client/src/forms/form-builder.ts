import type { I18nText } from '../i18n/i18n.js';
import type { FieldSchema, FormSchema } from './form-schema.js';

/** The kinds of field a manager can put on a form. */
export const FIELD_TYPES = [
  'text',
  'longText',
  'number',
  'choice',
  'date',
  'group',
  'person',
  'province',
  'file',
] as const;
export type DesignFieldType = (typeof FIELD_TYPES)[number];

export interface DesignOption {
  value: string;
  label: I18nText;
}

/** One field as the designer edits it; `toSchema` writes it as JSON Schema with Ravand's x- keywords. */
export interface DesignField {
  name: string;
  type: DesignFieldType;
  label: I18nText;
  help: I18nText;
  required: boolean;
  /** text, longText: length limits. */
  minLength?: number;
  maxLength?: number;
  /** number: range, and whether only whole numbers are allowed. */
  minimum?: number;
  maximum?: number;
  integer?: boolean;
  /** date: earliest and latest day (ISO, Gregorian, as the date picker stores them). */
  minDate?: string;
  maxDate?: string;
  /** choice: the options. */
  options: DesignOption[];
  /** Shown only when this other field has a value (or, with `equals`, that value). */
  showIf?: { field: string; equals?: string };
}

export interface FormDesign {
  key: string;
  title: I18nText;
  fields: DesignField[];
}

/** Names of the office's groups, people and provinces, written into picker fields as their options. */
export interface DirectoryOptions {
  groups: DesignOption[];
  users: DesignOption[];
  provinces: DesignOption[];
}

const PICKERS: Partial<Record<DesignFieldType, keyof DirectoryOptions>> = {
  group: 'groups',
  person: 'users',
  province: 'provinces',
};
const DEFAULT_TEXT_MAX = 200;
const DEFAULT_LONG_MAX = 4000;

/** A new, empty field of a type. */
export function newField(name: string, type: DesignFieldType = 'text'): DesignField {
  return { name, type, label: { fa: '', en: '' }, help: { fa: '', en: '' }, required: false, options: [] };
}

const labels = (options: DesignOption[]) => Object.fromEntries(options.map((o) => [o.value, o.label]));

function fieldSchema(f: DesignField, directory: DirectoryOptions): FieldSchema {
  const base: FieldSchema = { 'x-label': f.label };
  if (f.help.fa.trim() || f.help.en.trim()) base['x-help'] = f.help;
  if (f.showIf) base['x-show-if'] = f.showIf.equals ? { ...f.showIf } : { field: f.showIf.field };
  switch (f.type) {
    case 'text':
    case 'longText': {
      const s: FieldSchema = {
        type: 'string',
        ...base,
        maxLength: f.maxLength ?? (f.type === 'text' ? DEFAULT_TEXT_MAX : DEFAULT_LONG_MAX),
      };
      if (f.minLength) s.minLength = f.minLength;
      if (f.type === 'longText') s['x-widget'] = 'textarea';
      return s;
    }
    case 'number': {
      const s: FieldSchema = { type: f.integer ? 'integer' : 'number', ...base };
      if (f.minimum !== undefined) s.minimum = f.minimum;
      if (f.maximum !== undefined) s.maximum = f.maximum;
      return s;
    }
    case 'choice':
      return {
        type: 'string',
        ...base,
        enum: f.options.map((o) => o.value),
        'x-enum-labels': labels(f.options),
        'x-widget': f.options.length <= 4 ? 'radio' : 'select',
      };
    case 'date': {
      const s: FieldSchema = { type: 'string', format: 'date', ...base, 'x-widget': 'date' };
      if (f.minDate) s['x-min'] = f.minDate;
      if (f.maxDate) s['x-max'] = f.maxDate;
      return s;
    }
    case 'file':
      // the shape of a file field (processes/CONVENTIONS.md, Forms): one document of the case, { id, name }
      return {
        type: 'object',
        ...base,
        'x-widget': 'file',
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 200 },
          name: { type: 'string', maxLength: 255 },
        },
        required: ['id', 'name'],
        additionalProperties: false,
      } as FieldSchema;
    default: {
      const source = PICKERS[f.type]!;
      const options = directory[source];
      return {
        type: 'string',
        ...base,
        enum: options.map((o) => o.value),
        'x-enum-labels': labels(options),
        'x-widget': 'select',
        'x-source': source,
      };
    }
  }
}

/**
 * The form as JSON Schema (draft 2020-12) with Ravand's display keywords. A conditionally shown field becomes an
 * `allOf` if/then/else, so that ajv on the server asks for it (when required) exactly when the client shows it,
 * and refuses it when hidden: one schema drives both validations.
 */
export function toSchema(design: FormDesign, directory: DirectoryOptions): FormSchema {
  const properties: Record<string, FieldSchema> = {};
  const required: string[] = [];
  const allOf: NonNullable<FormSchema['allOf']> = [];
  for (const f of design.fields) {
    properties[f.name] = fieldSchema(f, directory);
    if (!f.showIf) {
      if (f.required) required.push(f.name);
      continue;
    }
    const when: FieldSchema = f.showIf.equals
      ? { properties: { [f.showIf.field]: { const: f.showIf.equals } }, required: [f.showIf.field] }
      : { required: [f.showIf.field] };
    allOf.push({
      if: when,
      then: f.required ? { required: [f.name] } : {},
      else: { not: { required: [f.name] } },
    });
  }
  const schema: FormSchema & { $schema: string } = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: design.key,
    type: 'object',
    'x-title': design.title,
    properties,
    'x-order': design.fields.map((f) => f.name),
    additionalProperties: false,
  };
  if (required.length) schema.required = required;
  if (allOf.length) schema.allOf = allOf;
  return schema;
}

function typeOf(field: FieldSchema): DesignFieldType {
  if (field['x-widget'] === 'file') return 'file';
  const source = field['x-source'];
  if (source === 'groups') return 'group';
  if (source === 'users') return 'person';
  if (source === 'provinces') return 'province';
  if (field.type === 'integer' || field.type === 'number') return 'number';
  if (field.type === 'string' && field.enum) return 'choice';
  if (field.format === 'date' || field.format === 'date-time' || field['x-widget'] === 'date') return 'date';
  return field['x-widget'] === 'textarea' ? 'longText' : 'text';
}

/** A stored form back into the designer's terms (fields it cannot express are edited as plain text). */
export function fromSchema(key: string, schema: FormSchema): FormDesign {
  const required = new Set(schema.required ?? []);
  const conditional = new Set((schema.allOf ?? []).flatMap((c) => (c.then?.required ?? []) as string[]));
  const props = schema.properties ?? {};
  const order = [
    ...(schema['x-order'] ?? []).filter((n) => n in props),
    ...Object.keys(props).filter((n) => !(schema['x-order'] ?? []).includes(n)),
  ];
  const fields = order.map((name): DesignField => {
    const f = props[name]!;
    const type = typeOf(f);
    const field: DesignField = {
      ...newField(name, type),
      label: { fa: f['x-label']?.fa ?? '', en: f['x-label']?.en ?? '' },
      help: { fa: f['x-help']?.fa ?? '', en: f['x-help']?.en ?? '' },
      required: required.has(name) || conditional.has(name),
    };
    if (f.maxLength !== undefined) field.maxLength = f.maxLength;
    if (f.minLength !== undefined) field.minLength = f.minLength;
    if (f.minimum !== undefined) field.minimum = f.minimum;
    if (f.maximum !== undefined) field.maximum = f.maximum;
    if (f.type === 'integer') field.integer = true;
    if (f['x-min']) field.minDate = f['x-min'];
    if (f['x-max']) field.maxDate = f['x-max'];
    if (type === 'choice')
      field.options = (f.enum ?? []).map((v) => ({
        value: String(v),
        label: f['x-enum-labels']?.[String(v)] ?? { fa: String(v), en: String(v) },
      }));
    const when = f['x-show-if'];
    if (when)
      field.showIf =
        when.equals !== undefined
          ? { field: when.field, equals: String(when.equals) }
          : { field: when.field };
    return field;
  });
  const title = schema['x-title'] ?? { fa: '', en: '' };
  return { key, title: { fa: title.fa, en: title.en }, fields };
}

/** What keeps a design from being saved as a valid form, as catalogue keys with the field's name. */
export function designProblems(design: FormDesign): Array<{ field?: string; key: DesignProblemKey }> {
  const out: Array<{ field?: string; key: DesignProblemKey }> = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(design.key)) out.push({ key: 'designer.problem.key' });
  if (!design.title.fa.trim() || !design.title.en.trim()) out.push({ key: 'designer.problem.title' });
  if (!design.fields.length) out.push({ key: 'designer.problem.noFields' });
  const seen = new Set<string>();
  for (const f of design.fields) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(f.name))
      out.push({ field: f.name, key: 'designer.problem.name' });
    else if (seen.has(f.name)) out.push({ field: f.name, key: 'designer.problem.duplicate' });
    seen.add(f.name);
    if (!f.label.fa.trim() || !f.label.en.trim()) out.push({ field: f.name, key: 'designer.problem.label' });
    if (f.type === 'choice') {
      if (!f.options.length) out.push({ field: f.name, key: 'designer.problem.options' });
      if (f.options.some((o) => !o.value.trim() || !o.label.fa.trim() || !o.label.en.trim()))
        out.push({ field: f.name, key: 'designer.problem.optionLabel' });
    }
    if (f.showIf && !design.fields.some((o) => o.name === f.showIf!.field && o !== f))
      out.push({ field: f.name, key: 'designer.problem.showIf' });
  }
  return out;
}

export type DesignProblemKey =
  | 'designer.problem.key'
  | 'designer.problem.title'
  | 'designer.problem.noFields'
  | 'designer.problem.name'
  | 'designer.problem.duplicate'
  | 'designer.problem.label'
  | 'designer.problem.options'
  | 'designer.problem.optionLabel'
  | 'designer.problem.showIf';

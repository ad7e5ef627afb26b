import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { I18nText } from './types.js';

/** One problem of a form schema found at deploy: which form, where in it, and what, in both languages. */
export interface FormSchemaProblem {
  formKey: string;
  /** JSON pointer-ish path inside the schema (`/properties/decision`), empty for the whole form. */
  path: string;
  message: I18nText;
}

/** Form keys are file-name and URL safe (the same pattern as `schemas/forms/<key>.json`). */
export const FORM_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

const WIDGETS = new Set(['textarea', 'select', 'radio', 'checkboxes', 'date', 'file']);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

type Node = Record<string, unknown>;
const isObj = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function hasBoth(text: unknown): boolean {
  return (
    isObj(text) &&
    typeof text.fa === 'string' &&
    text.fa.trim() !== '' &&
    typeof text.en === 'string' &&
    text.en.trim() !== ''
  );
}

/** The checks of one field (and, for lists of objects, of its row fields). */
function fieldProblems(path: string, field: unknown, say: (path: string, fa: string, en: string) => void) {
  if (!isObj(field)) return say(path, 'تعریف خانه باید یک شیء باشد.', 'A field must be an object.');
  if (!hasBoth(field['x-label']))
    say(
      path,
      'خانه باید نامی به دری و انگلیسی داشته باشد (x-label).',
      'A field needs a Dari and an English label (x-label).',
    );
  const type = field.type;
  if (!['string', 'integer', 'number', 'boolean', 'array', 'object'].includes(String(type)))
    say(path, 'نوع خانه معلوم نیست.', 'The field has no supported type.');
  const widget = field['x-widget'];
  if (widget !== undefined && !WIDGETS.has(String(widget)))
    say(path, `نوع نمایش «${String(widget)}» شناخته نمی‌شود.`, `Unknown widget "${String(widget)}".`);
  if (
    type === 'string' &&
    !Array.isArray(field.enum) &&
    field.format !== 'date' &&
    field.format !== 'date-time'
  ) {
    if (typeof field.maxLength !== 'number')
      say(
        path,
        'خانهٔ متنی باید حد اکثر طول داشته باشد (maxLength).',
        'A text field needs a maximum length (maxLength).',
      );
  }
  const enumHost = type === 'array' && isObj(field.items) ? field.items : field;
  if (Array.isArray(enumHost.enum)) {
    // a list's option labels may sit on its items or on the field itself
    const labels = {
      ...(field['x-enum-labels'] as Node | undefined),
      ...(enumHost['x-enum-labels'] as Node | undefined),
    };
    for (const v of enumHost.enum) {
      if (!hasBoth(labels[String(v)]))
        say(
          path,
          `گزینهٔ «${String(v)}» نام دری و انگلیسی ندارد.`,
          `Option "${String(v)}" needs a Dari and an English label.`,
        );
    }
  }
  for (const bound of ['x-min', 'x-max'] as const) {
    const b = field[bound];
    if (b !== undefined && (typeof b !== 'string' || !DAY.test(b)))
      say(path, `${bound} باید تاریخ میلادی YYYY-MM-DD باشد.`, `${bound} must be a YYYY-MM-DD date.`);
  }
  // a file field's items are the `{ id, name }` of documents, not fields a person fills in
  if (type === 'array' && widget !== 'file' && isObj(field.items) && field.items.type === 'object') {
    for (const [name, sub] of Object.entries((field.items.properties as Node | undefined) ?? {}))
      fieldProblems(`${path}/items/properties/${name}`, sub, say);
  }
}

/**
 * Whether a form schema can be deployed: valid JSON Schema (draft 2020-12 meta-validation by ajv) and written
 * by Ravand's conventions (processes/CONVENTIONS.md, Forms): an object with a Dari and English title, named
 * fields each with both labels, bounded text, labelled options, known widgets, `x-order`/`required`/`x-show-if`
 * naming real fields, and date bounds as days.
 */
export function formSchemaProblems(ajv: Ajv2020, formKey: string, schema: unknown): FormSchemaProblem[] {
  const out: FormSchemaProblem[] = [];
  const say = (path: string, fa: string, en: string) => out.push({ formKey, path, message: { fa, en } });
  if (!FORM_KEY_PATTERN.test(formKey))
    say(
      '',
      'کلید فورم فقط حروف لاتین، عدد، - و _ دارد.',
      'A form key has only Latin letters, digits, - and _.',
    );
  if (!isObj(schema)) {
    say('', 'فورم باید یک JSON Schema (شیء) باشد.', 'A form must be a JSON Schema object.');
    return out;
  }
  const { $id: _id, $schema: dialect, ...rest } = schema;
  if (dialect !== undefined && dialect !== 'https://json-schema.org/draft/2020-12/schema') {
    say(
      '/$schema',
      'فقط JSON Schema نسخهٔ 2020-12 پذیرفته می‌شود.',
      'Only JSON Schema draft 2020-12 is accepted.',
    );
    return out;
  }
  if (!ajv.validateSchema(rest)) {
    for (const e of ajv.errors ?? [])
      say(
        e.instancePath,
        `JSON Schema درست نیست: ${e.message ?? e.keyword}`,
        `Not a valid JSON Schema: ${e.message ?? e.keyword}`,
      );
    return out;
  }
  if (schema.type !== 'object') say('/type', 'نوع فورم باید object باشد.', 'A form must have type "object".');
  if (!hasBoth(schema['x-title']))
    say(
      '/x-title',
      'فورم باید عنوانی به دری و انگلیسی داشته باشد.',
      'A form needs a Dari and an English title (x-title).',
    );
  const props = isObj(schema.properties) ? schema.properties : {};
  const names = Object.keys(props);
  if (!names.length) say('/properties', 'فورم هیچ خانه‌ای ندارد.', 'The form has no fields.');
  for (const name of names) {
    if (!FIELD_NAME.test(name))
      say(
        `/properties/${name}`,
        `نام خانهٔ «${name}» باید با حرف لاتین شروع شود.`,
        `Field name "${name}" must start with a Latin letter.`,
      );
    fieldProblems(`/properties/${name}`, props[name], say);
    const when = isObj(props[name]) ? (props[name] as Node)['x-show-if'] : undefined;
    if (when !== undefined && (!isObj(when) || typeof when.field !== 'string' || !names.includes(when.field)))
      say(
        `/properties/${name}/x-show-if`,
        'شرط نمایش به خانهٔ موجودی اشاره نمی‌کند.',
        'The visibility condition does not name a field of the form.',
      );
  }
  const named = (list: unknown, where: string) => {
    if (!Array.isArray(list)) return;
    for (const n of list)
      if (!names.includes(String(n)))
        say(where, `«${String(n)}» خانهٔ این فورم نیست.`, `"${String(n)}" is not a field of this form.`);
  };
  named(schema.required, '/required');
  named(schema['x-order'], '/x-order');
  return out;
}

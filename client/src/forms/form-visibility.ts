import type { FieldSchema, FormData } from './form-schema.js';

/** `x-show-if`: the field is shown (and asked for) only when another field has a value, or a given one. */
export interface ShowIf {
  field: string;
  /** Shown only when the other field equals this; absent: when it has any value. */
  equals?: string | number | boolean;
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Whether a field is shown for this data. The server holds the same rule as JSON Schema (`allOf` if/then/else
 * written by the form designer), so a hidden field is neither asked for nor accepted there either.
 */
export function isShown(field: FieldSchema, data: FormData): boolean {
  const when = field['x-show-if'];
  if (!when) return true;
  const other = data[when.field];
  if (when.equals !== undefined) return other === when.equals;
  return !isEmpty(other);
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../app-error.js';
import type { FormFieldError } from '../engine/forms.js';
import type { DocumentService } from './document-service.js';

type Schema = Record<string, unknown>;

/** The part of a form field the file check reads. */
interface FieldLike {
  type?: string;
  'x-widget'?: string;
}

/** A document named in a form: the field's path (`evidence` or `evidence.1`) and the document id. */
export interface FileRef {
  field: string;
  id: string;
}

const NOT_IN_INSTANCE = {
  fa: 'این فایل از اسناد همین قضیه نیست؛ آن را دوباره از همین فورم بارگذاری کنید.',
  en: 'This file is not a document of this case; upload it again from this form.',
};

/** The id of one file value (`{ id, name }`), or undefined when it is not shaped so (ajv reports that). */
function idOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id ? id : undefined;
}

/**
 * The documents a form's data names in its `file` fields (`x-widget: "file"`, one `{ id, name }` or an array of
 * them; processes/CONVENTIONS.md, Forms).
 */
export function fileRefs(schema: Record<string, unknown>, data: Record<string, unknown>): FileRef[] {
  const props = (schema.properties ?? {}) as Record<string, FieldLike>;
  const out: FileRef[] = [];
  for (const [name, field] of Object.entries(props)) {
    if (field['x-widget'] !== 'file' || data[name] === undefined) continue;
    const value = data[name];
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        const id = idOf(v);
        if (id) out.push({ field: `${name}.${i}`, id });
      });
    } else {
      const id = idOf(value);
      if (id) out.push({ field: name, id });
    }
  }
  return out;
}

/**
 * The form a task is validated with: the one deployed with its definition version, else `<formsDir>/<formKey>.json`;
 * undefined when neither exists (an unknown form is the engine's to refuse).
 */
export async function taskFormSchema(
  deps: { formsDir: string; deployedForms(key: string, version: number): Promise<Record<string, Schema>> },
  task: { formKey: string; definitionKey: string; definitionVersion: number },
): Promise<Schema | undefined> {
  const deployed = await deps.deployedForms(task.definitionKey, task.definitionVersion);
  if (deployed[task.formKey]) return deployed[task.formKey];
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(task.formKey)) return undefined;
  try {
    return JSON.parse(await fs.readFile(path.join(deps.formsDir, `${task.formKey}.json`), 'utf8')) as Schema;
  } catch {
    return undefined;
  }
}

/**
 * Checks on completion that every document a form names exists and belongs to the task's own instance; throws
 * 422 RV_ERR_FORM_INVALID with a Dari/English message on each field that names another case's (or no) document.
 */
export async function checkFormFiles(
  documents: Pick<DocumentService, 'get'>,
  form: { key: string; schema: Schema },
  instanceId: string,
  data: Record<string, unknown> | undefined,
): Promise<void> {
  if (!data || typeof data !== 'object') return;
  const errors: FormFieldError[] = [];
  for (const ref of fileRefs(form.schema, data)) {
    const record = await documents.get(ref.id).catch((err: unknown) => {
      if (isAppError(err, 'RV_ERR_DOCUMENT_NOT_FOUND')) return undefined;
      throw err;
    });
    if (!record || record.instanceId !== instanceId)
      errors.push({ field: ref.field, keyword: 'x-document', message: NOT_IN_INSTANCE });
  }
  if (errors.length) throw new AppError('RV_ERR_FORM_INVALID', { formKey: form.key, errors });
}

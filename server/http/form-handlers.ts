import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../app-error.js';
import { FormRegistry } from '../engine/forms.js';
import type { FormSchemaProblem } from '../engine/form-schema-rules.js';
import type { I18nText } from '../engine/types.js';
import type { ApiDeps } from './api-deps.js';
import type { RouteHandler } from './route-kit.js';
import { signedIn } from './typed-handler.js';

type Schema = Record<string, unknown>;

interface FormSummary {
  key: string;
  title: I18nText;
  fields: Array<{
    name: string;
    label: I18nText;
    type: string;
    kind: string;
    widget?: string;
    required: boolean;
  }>;
  source: 'deployment' | 'repository';
  definitionId?: string;
}

const FORM_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** A field's kind as a manager thinks of it (choice, date, list, textarea, …), read from its JSON Schema. */
function fieldKind(schema: Schema): string {
  if (Array.isArray(schema.enum)) return 'choice';
  if (schema.type === 'array') return 'list';
  if (schema.type === 'string' && (schema.format === 'date' || schema.format === 'date-time')) return 'date';
  if (schema['x-widget'] === 'textarea') return 'textarea';
  return typeof schema.type === 'string' ? schema.type : 'string';
}

/** Key, title and fields of a form, for pickers (the full schema is one GET /api/forms/:key away). */
export function formSummary(
  key: string,
  schema: Schema,
  source: FormSummary['source'],
  definitionId?: string,
) {
  const title = (schema['x-title'] as I18nText | undefined) ?? { fa: key, en: key };
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const order = ((schema['x-order'] as string[] | undefined) ?? []).filter((n) => n in props);
  const names = [...order, ...Object.keys(props).filter((n) => !order.includes(n))];
  const summary: FormSummary = {
    key,
    title: { fa: title.fa ?? key, en: title.en ?? key },
    fields: names.map((name) => {
      const f = props[name]!;
      const label = (f['x-label'] as I18nText | undefined) ?? { fa: name, en: name };
      const field: FormSummary['fields'][number] = {
        name,
        label: { fa: label.fa ?? name, en: label.en ?? name },
        type: String(f.type ?? 'string'),
        kind: fieldKind(f),
        required: required.has(name),
      };
      if (typeof f['x-widget'] === 'string') field.widget = f['x-widget'];
      return field;
    }),
    source,
  };
  if (definitionId) summary.definitionId = definitionId;
  return summary;
}

/**
 * The problems that would keep designed forms from being deployed, checked by one registry built on first use:
 * a new one costs ~25 ms of Ajv set-up, and this check only reads the meta-schema (nothing is registered).
 */
export function formChecker(formsDir: string): (forms: Record<string, unknown>) => FormSchemaProblem[] {
  let registry: FormRegistry | undefined;
  return (forms) => (registry ??= new FormRegistry(formsDir)).problems(forms);
}

/** The forms catalogue: forms deployed with a definition version first, then the repository's forms. */
export function formHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  const problemsOf = formChecker(deps.formsDir);
  let repository: Promise<Map<string, Schema>> | undefined;
  // the repository's forms ship with the server: read once
  const repositoryForms = () =>
    (repository ??= (async () => {
      const files = (await fs.readdir(deps.formsDir).catch(() => [] as string[])).filter((f) =>
        f.endsWith('.json'),
      );
      const map = new Map<string, Schema>();
      for (const file of files.sort()) {
        const key = file.slice(0, -5);
        if (FORM_KEY.test(key))
          map.set(key, JSON.parse(await fs.readFile(path.join(deps.formsDir, file), 'utf8')) as Schema);
      }
      return map;
    })());

  /** `key:version` or `key` (latest) → the definition's id and the forms stored with it. */
  async function definitionForms(ref: string): Promise<{ id: string; forms: Record<string, Schema> }> {
    const [key, v] = ref.split(':') as [string, string | undefined];
    const version = v ? Number(v) : (await deps.runtime().listVersions(key))[0]?.version;
    if (!version) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND', { key });
    return { id: `${key}:${version}`, forms: await deps.runtime().definitionForms(key, version) };
  }

  return {
    listForms: signedIn('listForms', async ({ query: { definition } }) => {
      const repo = await repositoryForms();
      const items: FormSummary[] = [];
      const seen = new Set<string>();
      const add = (key: string, schema: Schema, source: FormSummary['source'], id?: string) => {
        items.push(formSummary(key, schema, source, id));
        seen.add(key);
      };
      if (definition) {
        const own = await definitionForms(definition);
        for (const [key, schema] of Object.entries(own.forms)) add(key, schema, 'deployment', own.id);
      } else {
        for (const d of await deps.runtime().listDefinitions()) {
          if (!d.formKeys?.length) continue;
          const forms = await deps.runtime().definitionForms(d.key, d.version);
          for (const [key, schema] of Object.entries(forms))
            if (!seen.has(key)) add(key, schema, 'deployment', d.id);
        }
      }
      for (const [key, schema] of repo) if (!seen.has(key)) add(key, schema, 'repository');
      return { items };
    }),
    checkForm: signedIn('checkForm', async ({ body: { key, schema, data } }) => {
      const problems = problemsOf({ [key]: schema });
      if (problems.length || data === undefined) return { problems, errors: [] };
      // a registry of its own: the designed form is compiled for this check only
      const registry = new FormRegistry(deps.formsDir);
      registry.useDeployed('designer', { [key]: schema });
      return { problems, errors: registry.errors(key, data, 'designer') };
    }),
    getForm: signedIn('getForm', async ({ params: { key }, query: { definition } }) => {
      if (definition) {
        const own = await definitionForms(definition);
        if (own.forms[key]) return own.forms[key];
      }
      const schema = (await repositoryForms()).get(key);
      if (!schema) throw new AppError('RV_ERR_NOT_FOUND', { formKey: key });
      return schema;
    }),
  };
}

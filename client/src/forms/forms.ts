import { api } from '../services/api.js';
import type { FormSchema } from './form-schema.js';

// the office's form schemas ship with the client (schemas/forms is part of the shared contract)
const bundled = import.meta.glob<FormSchema>('../../../schemas/forms/*.json', { import: 'default' });

const cache = new Map<string, Promise<FormSchema | null>>();

function fromBundleOrServer(formKey: string): Promise<FormSchema | null> {
  const loader = Object.entries(bundled).find(([file]) => file.endsWith(`/${formKey}.json`))?.[1];
  return loader
    ? loader()
    : api.request<FormSchema>('GET', `/api/forms/${encodeURIComponent(formKey)}`).catch(() => null);
}

/**
 * The JSON Schema of a form key. With `definition` (`key:version`), the form as that version has it (deployed
 * with it, else the repository's; running instances keep their version's forms); otherwise from the bundle,
 * else from GET /api/forms/:key.
 */
export function loadForm(formKey: string, definition?: string): Promise<FormSchema | null> {
  const cacheKey = definition ? `${definition}/${formKey}` : formKey;
  let p = cache.get(cacheKey);
  if (!p) {
    p = definition
      ? api
          .request<FormSchema>(
            'GET',
            `/api/forms/${encodeURIComponent(formKey)}?definition=${encodeURIComponent(definition)}`,
          )
          .catch(() => fromBundleOrServer(formKey))
      : fromBundleOrServer(formKey);
    cache.set(cacheKey, p);
  }
  return p;
}

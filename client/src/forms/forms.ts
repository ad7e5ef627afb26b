import { api } from '../services/api.js';
import type { FormSchema } from './form-schema.js';

// the office's form schemas ship with the client (schemas/forms is part of the shared contract)
const bundled = import.meta.glob<FormSchema>('../../../schemas/forms/*.json', { import: 'default' });

const cache = new Map<string, Promise<FormSchema | null>>();

/** The JSON Schema of a form key: from the bundle, else from GET /api/forms/:formKey when the server has it. */
export function loadForm(formKey: string): Promise<FormSchema | null> {
  let p = cache.get(formKey);
  if (!p) {
    const loader = Object.entries(bundled).find(([file]) => file.endsWith(`/${formKey}.json`))?.[1];
    p = loader
      ? loader()
      : api.request<FormSchema>('GET', `/api/forms/${encodeURIComponent(formKey)}`).catch(() => null);
    cache.set(formKey, p);
  }
  return p;
}

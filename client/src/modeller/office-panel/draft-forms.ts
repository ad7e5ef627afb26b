import { api } from '../../services/api.js';
import { officeCatalog } from './office-catalog.js';

interface ElementLike {
  businessObject?: { get?(name: string): unknown };
}
interface ModelerLike {
  get(name: 'elementRegistry'): { getAll(): ElementLike[] };
}

/**
 * The form designer's drafts the diagram uses (a task or start event whose form key is only a draft): their JSON
 * Schemas, to carry with the diagram when it is checked or deployed (`{ xml, forms }`), as the designer's own
 * "deploy with process" does. Deployed and folder forms are not carried: the server has them.
 */
export async function draftFormsUsed(modeler: ModelerLike | undefined): Promise<Record<string, object>> {
  if (!modeler) return {};
  // fresh lists: a draft deployed since (here or by another manager) is no longer one, and the panel shows it so
  await officeCatalog.reload();
  const keys = new Set<string>();
  for (const el of modeler.get('elementRegistry').getAll()) {
    const key = el.businessObject?.get?.('camunda:formKey');
    if (typeof key === 'string' && officeCatalog.form(key)?.draft) keys.add(key);
  }
  const forms: Record<string, object> = {};
  for (const key of keys)
    forms[key] = (
      await api.request<{ schema: object }>('GET', `/api/form-drafts/${encodeURIComponent(key)}`)
    ).schema;
  return forms;
}

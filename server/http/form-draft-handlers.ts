import { AppError } from '../app-error.js';
import type { FormDraftRecord, FormDraftsPort } from '../ports/form-drafts-port.js';
import type { ApiDeps } from './api-deps.js';
import { formChecker, formSummary } from './form-handlers.js';
import type { RouteHandler } from './route-kit.js';
import { signedIn } from './typed-handler.js';

/** JSON with the keys of every object sorted: two schemas written in another key order compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * After a deployment: the drafts it carried unchanged are deployed now, so they leave the drafts list (a draft
 * changed since is kept). Best effort: the deployment stands whatever happens here.
 */
export async function closeDeployedDrafts(
  drafts: FormDraftsPort,
  carried: Record<string, unknown> | undefined,
): Promise<void> {
  for (const [key, schema] of Object.entries(carried ?? {})) {
    const draft = await drafts.get(key).catch(() => undefined);
    if (draft && canonical(draft.schema) === canonical(schema)) await drafts.remove(key).catch(() => false);
  }
}

/** A draft as lists show it: the form's title and fields (as `GET /api/forms` has them), who saved it, when. */
function draftSummary(draft: FormDraftRecord) {
  const { key, title, fields } = formSummary(draft.key, draft.schema, 'repository');
  return { key, title, fields, updatedBy: draft.updatedBy, updatedAt: draft.updatedAt };
}

/**
 * The form designer's drafts on the server: saved with who and when, checked with the rules a deployment
 * applies (JSON Schema 2020-12 and Ravand's conventions), so a draft can always be deployed with a process.
 */
export function formDraftHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  const problemsOf = formChecker(deps.formsDir);
  return {
    listFormDrafts: signedIn('listFormDrafts', async () => ({
      items: (await deps.formDrafts.list()).map(draftSummary),
    })),
    saveFormDraft: signedIn('saveFormDraft', async ({ body: { key, schema }, actor }) => {
      const problems = problemsOf({ [key]: schema });
      if (problems.length)
        throw new AppError('RV_ERR_FORM_SCHEMA_INVALID', { errors: problems.slice(0, 50) });
      return draftSummary(await deps.formDrafts.put(key, schema, actor.id));
    }),
    getFormDraft: signedIn('getFormDraft', async ({ params: { key } }) => {
      const draft = await deps.formDrafts.get(key);
      if (!draft) throw new AppError('RV_ERR_NOT_FOUND', { formKey: key });
      return draft;
    }),
    deleteFormDraft: signedIn('deleteFormDraft', async ({ params: { key } }) => {
      if (!(await deps.formDrafts.remove(key))) throw new AppError('RV_ERR_NOT_FOUND', { formKey: key });
      return {};
    }),
  };
}

import { draftModel } from '../engine/draft-model.js';
import type { ApiDeps } from './api-deps.js';
import { lintContextLists } from './model-lint-context.js';
import type { RouteHandler } from './route-kit.js';

/** What the modeller asks about a draft before deploying it: the lint context, and the running instances it affects. */
export function draftHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  return {
    async getLintContext() {
      // the modeller may also use the form designer's drafts: it carries those it uses when it deploys
      const [lists, drafts] = await Promise.all([lintContextLists(deps), deps.formDrafts.list()]);
      return { ...lists, forms: [...new Set([...lists.forms, ...drafts.map((d) => d.key)])].sort() };
    },
    async definitionImpact({ body }) {
      const { key, elementIds } = await draftModel(body as string);
      return deps.runtime().migrationImpact(key, elementIds);
    },
  };
}

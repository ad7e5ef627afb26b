import { draftModel } from '../engine/draft-model.js';
import type { ApiDeps } from './api-deps.js';
import { lintContextLists } from './model-lint-context.js';
import type { RouteHandler } from './route-kit.js';

/** What the modeller asks about a draft before deploying it: the lint context, and the running instances it affects. */
export function draftHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  return {
    async getLintContext() {
      return lintContextLists(deps);
    },
    async definitionImpact({ body }) {
      const { key, elementIds } = await draftModel(body as string);
      return deps.runtime().migrationImpact(key, elementIds);
    },
  };
}

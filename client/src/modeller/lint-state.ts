import type { LintContext } from '../../../schemas/model-lint/lint-context.js';
import { lintIssues, type LintIssue } from '../../../schemas/model-lint/lint-messages.js';
import type { ModelerInstance } from '../bpmn/modeler.js';
import { draftApi } from './draft-api.js';

/**
 * The lint context of the modeller's rules (schemas/model-lint): one object the rules read each time they run,
 * filled from `GET /api/definitions/lint-context` (the same lists the server's deploy gate uses).
 */
export const modellerLintContext: { -readonly [K in keyof LintContext]: LintContext[K] } = {};

/** Loads the groups and forms the rules check against; resolves false when the server did not answer. */
export async function loadLintContext(): Promise<boolean> {
  try {
    const { groups, forms } = await draftApi.lintContext();
    modellerLintContext.groups = new Set(groups);
    modellerLintContext.forms = new Set(forms);
    return true;
  } catch {
    return false;
  }
}

type Linting = {
  lint(): Promise<Record<string, Array<{ id?: string; message: string; category: string }>>>;
  update(): void;
};

/** Lints the diagram now (not the debounced overlay run) with the rule set the server runs. */
export async function lintNow(modeler: ModelerInstance): Promise<LintIssue[]> {
  return lintIssues(await modeler.get<Linting>('linting').lint());
}

/** Runs the overlays' lint again (after the context arrived). */
export function relint(modeler: ModelerInstance): void {
  modeler.get<Linting>('linting').update();
}

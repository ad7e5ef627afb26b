import fs from 'node:fs/promises';
import type { LintContext } from '../../schemas/model-lint/lint-context.js';
import { lintXml } from '../engine/model-linter.js';
import { AppError } from '../app-error.js';
import type { LintIssue } from '../../schemas/model-lint/lint-messages.js';
import type { ApiDeps } from './api-deps.js';

/** The names Ravand's lint rules check against, as plain lists (`GET /api/definitions/lint-context`). */
export interface LintContextLists {
  groups: string[];
  forms: string[];
}

/**
 * THE source of the lint context, for the server's gate and the modeller alike: groups are the directory's groups
 * plus any group a user belongs to; forms are the form files (`<formKey>.json` in the forms folder) and the forms
 * deployed with the latest version of each process (a new version inherits them when it carries none).
 */
export async function lintContextLists(
  deps: Pick<ApiDeps, 'groups' | 'users' | 'formsDir' | 'runtime'>,
): Promise<LintContextLists> {
  const [groups, users, files, definitions] = await Promise.all([
    deps.groups.list(),
    deps.users.list(),
    fs.readdir(deps.formsDir).catch(() => [] as string[]),
    deps.runtime().listDefinitions(),
  ]);
  const ids = new Set(groups.map((g) => g.id));
  for (const u of users) for (const g of u.groups ?? []) ids.add(g);
  const forms = new Set(files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)));
  for (const d of definitions) for (const k of d.formKeys ?? []) forms.add(k);
  return { groups: [...ids].sort(), forms: [...forms].sort() };
}

/**
 * The deploy gate: lints the XML with the modeller's rule set and refuses errors (422 RV_ERR_MODEL_LINT with the
 * list); returns the warnings. `carried`: the forms deployed with it. XML that does not parse passes through: the definition compiler says why.
 */
export async function assertLintClean(
  deps: Pick<ApiDeps, 'groups' | 'users' | 'formsDir' | 'runtime'>,
  xml: string,
  carried: Record<string, unknown> = {},
): Promise<LintIssue[]> {
  const lists = await lintContextLists(deps);
  // the forms this deployment carries are known to it too
  const context: LintContext = {
    groups: new Set(lists.groups),
    forms: new Set([...lists.forms, ...Object.keys(carried)]),
  };
  const issues = (await lintXml(xml, context)) ?? [];
  const errors = issues.filter((i) => i.category === 'error');
  if (errors.length)
    throw new AppError('RV_ERR_MODEL_LINT', { issues: errors, warnings: issues.length - errors.length });
  return issues;
}

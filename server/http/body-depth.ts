import { AppError } from '../app-error.js';

/**
 * How deep a JSON request body may nest (objects and arrays, the body itself being level 1). MongoDB refuses a
 * document nested deeper than 100 levels, and Ravand keeps variables and form data up to 7 levels down inside its
 * own documents (a checkpoint's carried audit entries: `carriedAudit[].drafts[].data.variables.<name>`); 64 keeps
 * every copy well inside that limit, on MongoDB and on the embedded FerretDB alike.
 */
export const MAX_BODY_DEPTH = 64;

/** Throws RV_ERR_VALIDATION (400) for a body nested deeper than `max` levels, naming where it goes too deep. */
export function assertBodyDepth(body: unknown, max = MAX_BODY_DEPTH): void {
  // iterative: a hostile body must not exhaust the stack
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 1, path: '' }];
  while (stack.length) {
    const { value, depth, path } = stack.pop()!;
    if (!value || typeof value !== 'object') continue;
    if (depth > max)
      throw new AppError('RV_ERR_VALIDATION', {
        errors: [
          {
            in: 'body',
            path: path.length > 200 ? `${path.slice(0, 200)}…` : path,
            keyword: 'maxDepth',
            message: `must not be nested deeper than ${max} levels`,
          },
        ],
      });
    for (const [key, child] of Object.entries(value))
      if (child && typeof child === 'object')
        stack.push({ value: child, depth: depth + 1, path: `${path}/${key}` });
  }
}

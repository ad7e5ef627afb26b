/**
 * How Ravand reads list and candidate values of a process model (processes/CONVENTIONS.md): one reading for the
 * server, which runs the model, and the modeller's panel, which edits it.
 */

/** `a, b c` → `['a', 'b', 'c']` (comma or space separated lists of the model). */
export function splitList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** True for a value the engine computes at run time (FEEL `=…` or `${…}`) rather than a fixed list. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && (value.trim().startsWith('=') || value.includes('${'));
}

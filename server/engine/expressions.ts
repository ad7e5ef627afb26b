import { evaluate, SyntaxError as FeelSyntaxError } from 'feelin';

/** Functions merged into every FEEL evaluation context (calendar functions, `now()`). */
export type FeelFunctionMap = Record<string, (...args: never[]) => unknown>;

/** The expression handler bpmn-engine takes as its `expressions` option. */
export interface EngineExpressions {
  resolveExpression(expression: string, context?: unknown, fnContext?: unknown): unknown;
  isExpression(text: unknown): boolean;
  hasExpression(text: unknown): boolean;
}

/** Keys bpmn-elements mixes into a process environment's variables; never user data. */
const ENGINE_KEYS = new Set(['fields', 'content', 'properties']);

/** The process variables as the user sees them (without the engine's message bookkeeping). */
export function userVariables(variables: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!variables) return out;
  for (const [k, v] of Object.entries(variables)) if (!ENGINE_KEYS.has(k)) out[k] = v;
  return out;
}

const FULL_PATH = /^\$\{(.+?)\}$/;
const ANY_PATH = /\$\{(.+?)\}/;

/** True for a Camunda-8 style FEEL expression (`=` prefix). */
export function isFeel(text: unknown): boolean {
  return typeof text === 'string' && text.startsWith('=');
}

/** Throws a FEEL syntax error (deploy-time check); evaluation warnings (unknown variables) are fine. */
export function checkFeelSyntax(expression: string, functions: FeelFunctionMap = {}): void {
  try {
    evaluate(expression.startsWith('=') ? expression.slice(1) : expression, { ...functions });
  } catch (err) {
    if (err instanceof FeelSyntaxError) throw err;
    // a runtime failure with no variables bound is not a syntax error
  }
}

/** Evaluates a FEEL expression over `variables` plus `functions`; throws on a syntax error. */
export function evaluateFeel(
  expression: string,
  variables: Record<string, unknown>,
  functions: FeelFunctionMap = {},
): unknown {
  const body = expression.startsWith('=') ? expression.slice(1) : expression;
  return evaluate(body, { ...variables, ...functions }).value;
}

/** `a.b[0].c` lookups for the `${path}` fallback (bpmn-elements' own handler is not exported). */
function lookupPath(context: unknown, path: string): unknown {
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\[["']([^"']+)["']\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  let cur: unknown = context;
  for (const part of parts) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function resolvePath(context: Record<string, unknown> | undefined, inner: string): unknown {
  const trimmed = inner.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed === 'null') return null;
  const n = Number(trimmed);
  if (trimmed !== '' && !Number.isNaN(n)) return n;
  const direct = lookupPath(context, trimmed);
  if (direct !== undefined) return direct;
  // `${amount}` is read from the process variables, like Camunda does
  const env = context?.environment as { variables?: Record<string, unknown> } | undefined;
  return lookupPath(env?.variables, trimmed);
}

/**
 * FEEL (`=` prefix, via feelin) over the process variables plus `functions()`, with bpmn-engine's `${path}`
 * syntax as the fallback. Plugged in as the engine's `expressions` option.
 */
export function createExpressions(functions: () => FeelFunctionMap): EngineExpressions {
  return {
    resolveExpression(expression, context) {
      if (typeof expression === 'string' && isFeel(expression)) {
        const ctx = context as { environment?: { variables?: Record<string, unknown> } } | undefined;
        const vars = userVariables(ctx?.environment?.variables);
        return evaluateFeel(expression, vars, functions());
      }
      if (typeof expression !== 'string') return expression;
      const ctx = context as Record<string, unknown> | undefined;
      const full = FULL_PATH.exec(expression);
      if (full) return resolvePath(ctx, full[1]!);
      let result = expression;
      let m: RegExpExecArray | null;
      let guard = 0;
      while ((m = ANY_PATH.exec(result)) && guard++ < 100) {
        const value = resolvePath(ctx, m[1]!);
        result = result.replace(m[0], value === undefined || value === null ? '' : String(value));
      }
      return result;
    },
    isExpression(text) {
      return isFeel(text) || (typeof text === 'string' && FULL_PATH.test(text));
    },
    hasExpression(text) {
      return isFeel(text) || (typeof text === 'string' && ANY_PATH.test(text));
    },
  };
}

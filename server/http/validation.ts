import { performance } from 'node:perf_hooks';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { AppError } from '../app-error.js';
import type { JsonSchema } from '../../schemas/api/common.js';

// bodies are JSON: no coercion, so `"5"` for an integer is a wrong type; query strings and path params are text
const bodyAjv = new Ajv2020({ allErrors: true, strict: false });
const textAjv = new Ajv2020({ allErrors: true, strict: false, coerceTypes: true, useDefaults: true });
addFormats.default(bodyAjv);
addFormats.default(textAjv);

/** One reason a request part was refused, for `details.errors`. */
export interface FieldError {
  in: 'body' | 'query' | 'params';
  path: string;
  keyword: string;
  message: string;
}

function toFieldErrors(where: FieldError['in'], errors: ErrorObject[] | null | undefined): FieldError[] {
  return (errors ?? []).map((e) => ({
    in: where,
    path:
      e.keyword === 'additionalProperties'
        ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`
        : e.instancePath,
    keyword: e.keyword,
    message: e.message ?? e.keyword,
  }));
}

/** Validators not compiled yet: compiled at their first use, or by `compileValidatorsInIdleTurns`. */
const uncompiled = new Set<() => void>();

/**
 * A check of one request part; throws RV_ERR_VALIDATION (or RV_ERR_INVALID_ID for path ids). The schema is
 * compiled at the first check, not here: compiling every route's schemas took about 250 ms of the main thread
 * at start-up, while the read projections were loading (see `compileValidatorsInIdleTurns`).
 */
export function compileValidator(where: FieldError['in'], schema: JsonSchema): (value: unknown) => void {
  let validate: ValidateFunction | undefined;
  const compile = () => {
    uncompiled.delete(compile);
    validate ??= (where === 'body' ? bodyAjv : textAjv).compile(schema);
    return validate;
  };
  uncompiled.add(compile);
  return (value) => {
    const check = validate ?? compile();
    if (check(value)) return;
    const errors = toFieldErrors(where, check.errors);
    throw new AppError(where === 'params' ? 'RV_ERR_INVALID_ID' : 'RV_ERR_VALIDATION', { errors });
  };
}

/** How long a look at the event loop lasts, and how busy it may have been for a compile to go ahead. */
const IDLE_LOOK_MS = 50;
const IDLE_UTILIZATION = 0.2;

/**
 * Compiles the validators no request has used yet, one at a time and only while the event loop is idle (busy
 * less than a fifth of the last 50 ms), so that a running server has them all and a schema that does not
 * compile shows up in the log soon after start-up, without a compile landing between the steps of a request.
 * At start-up, compiling one per turn right after the read model loaded put 250 ms of compiles between the
 * turns of the first dashboard calls. Resolves when done; `idleOnly: false` compiles one per turn (specs).
 */
export async function compileValidatorsInIdleTurns(options: { idleOnly?: boolean } = {}): Promise<void> {
  const idleOnly = options.idleOnly ?? true;
  let last = performance.eventLoopUtilization();
  for (const compile of [...uncompiled]) {
    if (!uncompiled.has(compile)) continue; // a request compiled it meanwhile
    for (;;) {
      await new Promise<void>((resolve) =>
        idleOnly ? setTimeout(resolve, IDLE_LOOK_MS).unref() : setImmediate(resolve),
      );
      if (!idleOnly) break;
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, last).utilization;
      last = now;
      if (busy < IDLE_UTILIZATION) break;
    }
    compile();
  }
}

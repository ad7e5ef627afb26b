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

/**
 * Compiles the validators no request has used yet, one per turn of the event loop, so that a running server
 * has them all and a schema that does not compile shows up in the log soon after start-up. Resolves when done.
 */
export async function compileValidatorsInIdleTurns(): Promise<void> {
  for (const compile of [...uncompiled]) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    compile();
  }
}

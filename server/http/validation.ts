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

/** A compiled check of one request part; throws RV_ERR_VALIDATION (or RV_ERR_INVALID_ID for path ids). */
export function compileValidator(where: FieldError['in'], schema: JsonSchema): (value: unknown) => void {
  const validate: ValidateFunction = (where === 'body' ? bodyAjv : textAjv).compile(schema);
  return (value) => {
    if (validate(value)) return;
    const errors = toFieldErrors(where, validate.errors);
    throw new AppError(where === 'params' ? 'RV_ERR_INVALID_ID' : 'RV_ERR_VALIDATION', { errors });
  };
}

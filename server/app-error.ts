import { errorCatalogue, type ErrorBody, type ErrorCode } from '../schemas/errors.js';

/** An error with a catalogue code; the HTTP layer turns it into `{ code, message: { fa, en }, details }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, details?: unknown, messageEn?: string) {
    super(messageEn ?? errorCatalogue[code].en);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = details;
  }

  toBody(): ErrorBody {
    const { fa, en } = errorCatalogue[this.code];
    return this.details === undefined
      ? { code: this.code, message: { fa, en } }
      : { code: this.code, message: { fa, en }, details: this.details };
  }
}

/** True when `err` is an AppError with the given code. */
export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

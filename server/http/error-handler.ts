import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../app-error.js';
import { log } from '../logger.js';

function isBrokenMultipart(err: { message?: unknown } | undefined): boolean {
  return (
    typeof err?.message === 'string' &&
    /^(Multipart:|Unexpected end of form|Malformed part header)/.test(err.message)
  );
}

/** The driver's and mongoose's ways of saying the database cannot be reached (a 503, never a 500). */
export function isDatabaseDown(
  err: { name?: unknown; message?: unknown; cause?: unknown; code?: unknown; stack?: unknown } | undefined,
): boolean {
  if (!err) return false;
  // the driver writing a command to a socket the database process had just closed, before the driver noticed:
  // node:net's own EPIPE, not wrapped by the driver (seen when the embedded database was killed mid-request)
  if (err.code === 'EPIPE' && typeof err.stack === 'string' && /[\\/]mongodb[\\/]/.test(err.stack))
    return true;
  if (
    typeof err.name === 'string' &&
    /^Mongo(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed|PoolCleared)Error$/.test(
      err.name,
    )
  )
    return true;
  if (typeof err.message === 'string' && /buffering timed out|Client must be connected/.test(err.message))
    return true;
  // a bulk write or command whose connection dropped under it (the database process died mid-request)
  if (
    typeof err.name === 'string' &&
    err.name.startsWith('Mongo') &&
    typeof err.message === 'string' &&
    /connection .* closed|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up/.test(err.message)
  )
    return true;
  return err.cause !== undefined && err.cause !== err && isDatabaseDown(err.cause as typeof err);
}

/** 404 in the catalogue's shape for any route nobody answered. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError('RV_ERR_NOT_FOUND'));
};

/** Turns any error into `{ code, message: { fa, en }, details }`; never sends a stack trace. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let appError: AppError;
  if (err instanceof AppError) {
    appError = err;
  } else if (err?.type === 'entity.parse.failed') {
    appError = new AppError('RV_ERR_MALFORMED_JSON');
  } else if (err?.type === 'entity.too.large' || err?.code === 'LIMIT_FILE_SIZE') {
    appError = new AppError('RV_ERR_PAYLOAD_TOO_LARGE');
  } else if (err instanceof URIError || err?.name === 'URIError') {
    // a path with broken percent-encoding (`/api/tasks/%E0%A4%A`)
    appError = new AppError('RV_ERR_INVALID_ID');
  } else if (err?.type === 'charset.unsupported' || err?.type === 'encoding.unsupported') {
    appError = new AppError('RV_ERR_UNSUPPORTED_MEDIA_TYPE');
  } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500 && err.status !== 404) {
    // any other client error raised by express or a body parser (aborted request, bad length)
    appError = new AppError('RV_ERR_VALIDATION', { reason: String(err.type ?? err.message) });
  } else if (err?.name === 'MulterError' || isBrokenMultipart(err)) {
    // an unexpected field, too many files or parts, a truncated upload: the client's mistake
    appError = new AppError('RV_ERR_VALIDATION', { upload: String(err.code ?? err.message) });
  } else if (err?.name === 'CastError') {
    appError = new AppError('RV_ERR_INVALID_ID');
  } else if (isDatabaseDown(err)) {
    appError = new AppError('RV_ERR_DB_UNAVAILABLE');
  } else {
    log.error('unhandled error', {
      method: req.method,
      url: req.originalUrl,
      error: String(err?.stack ?? err),
    });
    appError = new AppError('RV_ERR_INTERNAL');
  }
  if (res.headersSent) return;
  res.status(appError.status).json(appError.toBody());
};

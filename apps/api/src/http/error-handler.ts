import { pgErrorOf } from '@parley/db';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from './app-error.ts';
import { sendError } from './send-error.ts';

const DB_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P03', '53300']);

/** Errors that mean "the database is not there right now": answered 503 so clients retry. */
function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const cause = pgErrorOf(err);
  if (cause.code && DB_UNAVAILABLE.has(cause.code)) return true;
  const pattern = /Connection terminated|timeout exceeded when trying to connect|connection error|ECONNREFUSED/i;
  return pattern.test(err.message) || pattern.test(String(cause.message ?? ''));
}

/** Turns anything thrown into an AppError: the body-parser's errors, lost connections, and the rest. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // The router could not percent-decode a path parameter.
  if (err instanceof URIError) return new AppError('validation_failed', 'The path is not valid percent-encoding.');
  const { type, status, expose } = (err ?? {}) as { type?: string; status?: number; expose?: boolean };
  if (type === 'entity.too.large') return new AppError('payload_too_large');
  if (type === 'entity.parse.failed') {
    return new AppError('validation_failed', 'The body is not a JSON object or array.');
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new AppError('unsupported_media_type');
  // The router could not decode a path parameter (`/api/conversations/%E0`): bad input, not our fault.
  if (err instanceof URIError) return new AppError('validation_failed', 'The path is not valid percent-encoding.');
  // Any other complaint of the body parser about the request itself (a corrupt gzip body, say).
  if (expose && status !== undefined && status < 500)
    return new AppError('validation_failed', 'The body cannot be read.');
  if (isUnavailable(err)) return new AppError('unavailable', undefined, undefined, 5);
  return new AppError('internal');
}

/** Every error a route throws ends here, as the contract's error body. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const error = toAppError(err);
  if (error.code === 'internal' || error.code === 'unavailable') req.log?.error({ err }, 'request failed');
  if (res.headersSent) return;
  sendError(res, error);
};

export const notFound: RequestHandler = () => {
  throw new AppError('not_found');
};

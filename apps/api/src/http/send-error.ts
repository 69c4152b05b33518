import type { ServerResponse } from 'node:http';
import type { ErrorBody } from '@parley/contracts';
import type { AppError } from './app-error.ts';

function errorBody(error: AppError): ErrorBody {
  return {
    error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
  };
}

/**
 * The one place the contract's error body is written: REST errors, the readiness probe and the
 * Socket.IO handshake all answer through it. A plain `ServerResponse`, so the handshake (which runs
 * below Express) can use it too.
 */
export function sendError(res: ServerResponse, error: AppError): void {
  if (error.retryAfter !== undefined) res.setHeader('Retry-After', String(error.retryAfter));
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(errorBody(error)));
}

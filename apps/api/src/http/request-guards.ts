import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { LIMITS } from '@parley/contracts';
import express, { type RequestHandler } from 'express';
import { AppError } from './app-error.ts';

const MUTATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * The app's own origin: PUBLIC_URL when set, else where the request was addressed to. `scheme` is the
 * request's own (TLS, or what a trusted proxy says: never a header from just anyone).
 */
export function isOwnOrigin(req: IncomingMessage, publicUrl: string | undefined, scheme: string): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (publicUrl) return origin === new URL(publicUrl).origin;
  return origin === `${scheme}://${req.headers.host}`;
}

/** The scheme of a request Express has not seen (the Socket.IO handshake), under the same trust. */
export function schemeOf(req: IncomingMessage, trusted: (address: string, hop: number) => boolean): string {
  if ((req.socket as { encrypted?: boolean }).encrypted) return 'https';
  const forwarded = (req.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0]?.trim();
  return forwarded && trusted(req.socket.remoteAddress ?? '', 0) ? forwarded : 'http';
}

/** Rejects cross-site mutations (SameSite cookies plus this close CSRF). */
export function originCheck(publicUrl: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (MUTATING.has(req.method) && !isOwnOrigin(req, publicUrl, req.protocol)) {
      throw new AppError('csrf_rejected');
    }
    next();
  };
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

const parseJson = express.json({
  limit: LIMITS.bodyBytes,
  type: () => true,
  strict: true,
  // Invalid UTF-8 would be decoded to U+FFFD without a word: the body is refused whole (API.md).
  verify: (_req, _res, body) => {
    if (!isUtf8(body)) throw new Error('The body is not valid UTF-8.');
  },
});

/** The one route whose body is not JSON (API.md, Conventions): its handler streams the multipart itself. */
const isUpload = (req: express.Request) => req.method === 'POST' && req.path === '/attachments';

/**
 * JSON only on mutations: a declared Content-Type other than JSON is a 415, with or without a body.
 * A request with neither body nor Content-Type reads as `{}`, so `POST …/close` and logout need none.
 * Mounted on /api, so `req.path` is the path under it.
 */
export const jsonBody: RequestHandler = (req, res, next) => {
  if (!MUTATING.has(req.method) || isUpload(req)) return next();
  const declared = req.headers['content-type'] !== undefined;
  if (declared && !req.is('application/json')) throw new AppError('unsupported_media_type');
  if (!hasBody(req)) {
    req.body = {};
    return next();
  }
  if (!declared) throw new AppError('unsupported_media_type');
  parseJson(req, res, next);
};

export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

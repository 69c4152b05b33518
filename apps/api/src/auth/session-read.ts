import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { SessionData, Store } from 'express-session';

/**
 * The session of a request that only reads it (ADR 057): every route but `/api/auth`, where sessions
 * are made, regenerated and destroyed by express-session, and the Socket.IO handshake. A valid cookie gives `req.sessionID` and
 * `req.session` (the stored data and its `id`); a missing, unsigned or forged one, or a session the
 * store no longer has, gives neither, as express-session's unsaved empty session gave no user.
 *
 * It reads the cookie as express-session does (its first `name=` pair, `s:` and the HMAC-SHA256 that
 * cookie-signature appends), and the store it reads is the same cached store. What it leaves out is
 * what only a write needs: the `Session` and `Cookie` objects, the SHA-1 of every session taken on the
 * way in and again on the way out to see whether it changed, and the response hooks that would save it.
 * Nothing here may change the session: `req.session` has no `save`, `regenerate` or `destroy`.
 */
export function readSession(store: Store, cookieName: string, secret: string): RequestHandler {
  return (req, _res, next) => {
    const sid = signedSessionId(cookieValue(req.headers.cookie, cookieName), secret);
    if (sid === undefined) return next();
    store.get(sid, (err, data) => {
      if (err) return next(err);
      if (data) readOnly(req, sid, data);
      next();
    });
  };
}

function readOnly(req: Request, sid: string, data: SessionData): void {
  req.sessionID = sid;
  // The typed Session has methods this object lacks; no route outside /api/auth calls them.
  (req as { session?: unknown }).session = Object.assign(data, { id: sid });
}

/** The value of the first `name=` pair of a Cookie header, decoded, as the `cookie` package reads it. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!value.includes('%')) return value;
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

/** The session id of an `s:<id>.<signature>` value signed with `secret`; undefined for anything else. */
export function signedSessionId(value: string | undefined, secret: string): string | undefined {
  if (!value?.startsWith('s:')) return undefined;
  const signed = value.slice(2);
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const sid = signed.slice(0, dot);
  const expected = Buffer.from(
    `${sid}.${createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '')}`,
  );
  const given = Buffer.from(signed);
  return given.length === expected.length && timingSafeEqual(given, expected) ? sid : undefined;
}

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import connectPgSimple from 'connect-pg-simple';
import type { Request, Response } from 'express';
import session from 'express-session';
import type pg from 'pg';
import { cacheSessions, type SessionEvictions } from './session-cache.ts';
import { readSession } from './session-read.ts';

export const SESSION_COOKIE = 'parley.sid';
const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * A readable, non-secret companion of the session cookie (`1`, nothing else): set with it on sign-in and
 * registration, cleared on sign-out and whenever a request's session is refused. The SPA asks
 * `GET /api/auth/me` only when it is there, so a signed-out visit makes no request that answers 401
 * (which Chromium logs as a console error). It proves nothing: the server never reads it for access.
 */
export const SESSION_HINT_COOKIE = 'parley_session_hint';
const hintAttributes = { path: '/', sameSite: 'lax' } as const;

export function setSessionHint(req: Request, res: Response): void {
  // The session cookie's lifetime and attributes, HttpOnly aside: `secure: 'auto'` there is req.secure.
  res.cookie(SESSION_HINT_COOKIE, '1', { ...hintAttributes, secure: req.secure, maxAge: THIRTY_DAYS_MS });
}

export function clearSessionHint(req: Request, res: Response): void {
  if (req.headers.cookie?.includes(`${SESSION_HINT_COOKIE}=`)) {
    res.clearCookie(SESSION_HINT_COOKIE, { ...hintAttributes, secure: req.secure });
  }
}

/** In development the secret is made once and kept beside the data, so sessions survive restarts. */
export async function developmentSecret(dataDir: string): Promise<string> {
  const file = path.resolve(dataDir, 'session-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/** How long a session read from PostgreSQL is trusted without asking again (see session-cache.ts). */
export const SESSION_CACHE_MS = 5_000;

export function createSessionMiddleware(pool: pg.Pool, secret: string, evictions?: SessionEvictions) {
  const PgStore = connectPgSimple(session);
  // The table is created by our migrations, not by the store. No touch: with a fixed expiry
  // (rolling: false) it would only add a write to every request.
  const store = new PgStore({
    pool,
    tableName: 'session',
    createTableIfMissing: false,
    pruneSessionInterval: 15 * 60,
    disableTouch: true,
  });
  const evict = cacheSessions(store, SESSION_CACHE_MS, evictions);
  const middleware = session({
    name: SESSION_COOKIE,
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    // Secure exactly when Express's req.secure says so: a TLS connection, PUBLIC_URL on https, or a
    // proxy named by TRUST_PROXY saying https (http/public-scheme.ts), never anyone's header.
    proxy: undefined,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: THIRTY_DAYS_MS },
  });
  // Routes that only read the session skip express-session's write machinery (ADR 057).
  const read = readSession(store, SESSION_COOKIE, secret);
  return { middleware, read, store, evict };
}

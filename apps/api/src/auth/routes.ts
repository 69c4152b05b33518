import { loginBody, registerBody, updateMeBody } from '@parley/contracts';
import type { Db } from '@parley/db';
import { type Request, Router } from 'express';
import { AppError } from '../http/app-error.ts';
import type { RateLimit } from '../http/rate-limit.ts';
import { parse } from '../http/validate.ts';
import type { Realtime } from '../realtime/realtime.ts';
import { findUserById } from '../users/queries.ts';
import type { LoginLimit } from './login-limit.ts';
import { toMe } from './me.ts';
import type { PassportInstance } from './passport.ts';
import { requireUser, userId } from './require-user.ts';
import { register, updateMe } from './service.ts';
import { SESSION_COOKIE } from './session.ts';
import { deleteOtherSessions } from './session-queries.ts';

interface AuthDeps {
  db: Db;
  passport: PassportInstance;
  loginLimit: LoginLimit;
  /** Registrations per client address (REGISTER_RATE_LIMIT). */
  registerLimit: RateLimit;
  clientKey: (address: string | undefined) => string;
  realtime: Realtime;
  /** Forgets sessions deleted without the store (cached copies on every replica). */
  evictSessions: (sessionIds: string[]) => Promise<void>;
}

function authenticate(passport: PassportInstance, req: Request): Promise<Express.User | false> {
  return new Promise((resolve, reject) => {
    passport.authenticate('local', (err: unknown, user: Express.User | false) => (err ? reject(err) : resolve(user)))(
      req,
      req.res,
      () => {},
    );
  });
}

/** passport ≥ 0.6 regenerates the session on login, so every sign-in gets a new session id. */
function logIn(req: Request, user: Express.User): Promise<void> {
  return new Promise((resolve, reject) => req.logIn(user, (err) => (err ? reject(err) : resolve())));
}

export function authRouter({
  db,
  passport,
  loginLimit,
  registerLimit,
  clientKey,
  realtime,
  evictSessions,
}: AuthDeps): Router {
  const router = Router();

  router.post('/register', async (req, res) => {
    const body = parse(registerBody, req.body);
    // Every valid attempt counts, taken or not: each costs a hash, and a 409 still answers a question.
    await registerLimit.consume(clientKey(req.ip));
    const user = await register(db, body);
    await logIn(req, { id: user.id });
    res.status(201).json({ user: toMe(user) });
  });

  router.post('/login', async (req, res) => {
    const body = parse(loginBody, req.body);
    // Counted before the password is checked, so parallel guesses get no more checks than a sequence.
    const attempt = await loginLimit.attempt(body.email, req.ip);
    req.body = body; // passport reads the validated, trimmed fields
    const user = await authenticate(passport, req);
    if (!user) throw new AppError('invalid_credentials');
    await attempt.succeeded();
    await logIn(req, user);
    const row = await findUserById(db, user.id);
    if (!row) throw new AppError('invalid_credentials');
    res.json({ user: toMe(row) });
  });

  router.post('/logout', async (req, res) => {
    const sessionId = req.session?.id;
    if (req.user && sessionId) {
      // Resolves once every replica has been told to forget it (session-cache.ts).
      await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
      realtime.disconnectSession(sessionId);
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/me', requireUser, async (req, res) => {
    const user = await findUserById(db, userId(req));
    if (!user) throw new AppError('unauthenticated');
    res.json({ user: toMe(user) });
  });

  router.patch('/me', requireUser, async (req, res) => {
    const body = parse(updateMeBody, req.body);
    // A wrong currentPassword is a failed sign-in, on the same budgets (API.md).
    const checkPassword = (email: string) => loginLimit.attempt(email, req.ip);
    const { user, credentialsChanged } = await updateMe(db, userId(req), body, checkPassword);
    if (credentialsChanged) {
      // A new password or email ends every other session (a stolen cookie must not outlive it), sockets included.
      const ended = await deleteOtherSessions(db, user.id, req.session.id);
      await evictSessions(ended);
      for (const sid of ended) realtime.disconnectSession(sid);
    }
    res.json({ user: toMe(user) });
  });

  return router;
}

import { loginBody, registerBody, updateMeBody } from '@parley/contracts';
import { type Request, Router } from 'express';
import { AppError } from '../http/app-error.ts';
import { parse } from '../http/validate.ts';
import { toMe } from './me.ts';
import type { PassportInstance } from './passport.ts';
import { requireUser, userId } from './require-user.ts';
import { type AuthDeps, getMe, register, signedOut, updateMe } from './service.ts';
import { clearSessionHint, SESSION_COOKIE, setSessionHint } from './session.ts';

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

function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}

export function authRouter(deps: AuthDeps & { passport: PassportInstance }): Router {
  const { db, passport } = deps;
  const router = Router();

  // `req.logIn` for registration (sign-in has it from passport.authenticate): passport's own
  // middleware, on this route only, since the rest of the API reads the session without passport.
  router.post('/register', passport.initialize(), async (req, res) => {
    const body = parse(registerBody, req.body);
    const user = await register(deps, body, req.ip);
    await logIn(req, { id: user.id });
    setSessionHint(req, res);
    res.status(201).json({ user: toMe(user) });
  });

  router.post('/login', async (req, res) => {
    req.body = parse(loginBody, req.body); // passport reads the validated, trimmed fields
    const user = await authenticate(passport, req);
    if (!user) throw new AppError('invalid_credentials');
    await logIn(req, user);
    setSessionHint(req, res);
    res.json({ user: toMe(await getMe(db, user.id)) });
  });

  router.post('/logout', async (req, res) => {
    const sessionId = req.session?.id;
    if (req.user && sessionId) {
      // Resolves once every replica has been told to forget it (session-cache.ts).
      await destroySession(req);
      signedOut(deps, sessionId);
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    clearSessionHint(req, res);
    res.status(204).end();
  });

  router.get('/me', requireUser, async (req, res) => {
    res.json({ user: toMe(await getMe(db, userId(req))) });
  });

  router.patch('/me', requireUser, async (req, res) => {
    const body = parse(updateMeBody, req.body);
    const session = { id: req.session.id, address: req.ip };
    res.json({ user: toMe(await updateMe(deps, userId(req), session, body)) });
  });

  return router;
}

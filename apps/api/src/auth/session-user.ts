import type { RequestHandler } from 'express';

/** Where passport keeps its part of the session (its default key, which createPassport keeps). */
const PASSPORT_KEY = 'passport';

interface PassportSessionData {
  [PASSPORT_KEY]?: { user?: unknown };
}

/**
 * Who the session says is calling: `req.user = { id }` when the session holds a signed-in user id,
 * nothing otherwise. It reads what passport's login wrote (`serializeUser` keeps only the id), as
 * `passport.session()` did with our `deserializeUser`, without building passport's strategy machinery
 * on every request and every socket handshake (ADR 055: about 0.07 ms of CPU a request on the
 * benchmark machine). It is stricter than passport was: only a positive integer id counts.
 *
 * Passport's request methods (`req.logIn`, `req.isAuthenticated`…) are typed on every request but
 * exist only on registration and sign-in, where passport runs: elsewhere, read `req.user`.
 */
export const sessionUser: RequestHandler = (req, _res, next) => {
  const id = (req.session as PassportSessionData | undefined)?.[PASSPORT_KEY]?.user;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) req.user = { id };
  next();
};

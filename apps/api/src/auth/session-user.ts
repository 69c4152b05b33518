import type { RequestHandler } from 'express';

/** Where passport keeps its part of the session (its default key, which createPassport keeps). */
const PASSPORT_KEY = 'passport';

interface PassportSessionData {
  [PASSPORT_KEY]?: { user?: unknown };
}

/**
 * Who the session says is calling: `req.user = { id }` when the session holds a signed-in user id,
 * nothing otherwise. It reads what passport's login wrote (`serializeUser` keeps only the id), so it
 * does what `passport.session()` did with our `deserializeUser`, without building passport's
 * strategy machinery on every request and every socket handshake (ADR 055: about 0.05 ms of CPU a
 * request on the benchmark machine). Sign-in and sign-out stay passport's (auth/routes.ts).
 */
export const sessionUser: RequestHandler = (req, _res, next) => {
  const id = (req.session as PassportSessionData | undefined)?.[PASSPORT_KEY]?.user;
  if (Number.isSafeInteger(id) && (id as number) > 0) req.user = { id: id as number };
  next();
};

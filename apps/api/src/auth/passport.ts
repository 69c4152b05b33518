import passportModule from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { type AuthDeps, checkSignIn } from './service.ts';

declare global {
  namespace Express {
    interface User {
      id: number;
    }
  }
}

/**
 * One Authenticator per app (no global singleton), so several apps can share a process in tests.
 * The session keeps only the user id: no database read per request just to know who is calling.
 * Passport signs people in (the local strategy, `req.logIn`); signing out destroys the session
 * (auth/routes.ts), and reading it back on each request is auth/session-user.ts, not
 * `passport.session()`.
 * The local strategy only adapts passport to the auth service, which owns the checks and limits.
 */
export function createPassport(deps: Pick<AuthDeps, 'db' | 'loginLimit'>) {
  const passport = new passportModule.Passport();
  passport.use(
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', session: true, passReqToCallback: true },
      (req, email, password, done) => {
        checkSignIn(deps, { email, password }, req.ip).then(
          (user) => done(null, user ? { id: user.id } : false),
          (err) => done(err),
        );
      },
    ),
  );
  // The session keeps the id; auth/session-user.ts reads it back on every request.
  passport.serializeUser((user, done) => done(null, user.id));
  return passport;
}

export type PassportInstance = ReturnType<typeof createPassport>;

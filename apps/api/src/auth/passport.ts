import type { Db } from '@parley/db';
import passportModule from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { verifyCredentials } from './service.ts';

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
 */
export function createPassport(db: Db) {
  const passport = new passportModule.Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', session: true }, (email, password, done) => {
      verifyCredentials(db, email, password).then(
        (user) => done(null, user ? { id: user.id } : false),
        (err) => done(err),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: number, done) => done(null, { id }));
  return passport;
}

export type PassportInstance = ReturnType<typeof createPassport>;

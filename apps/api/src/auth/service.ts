import type { LoginBody, RegisterBody, UpdateMeBody } from '@parley/contracts';
import { type Db, pgErrorOf, UNIQUE_VIOLATION, type UserRow } from '@parley/db';
import { AppError } from '../http/app-error.ts';
import { clientKey } from '../http/client-address.ts';
import type { RateLimit } from '../http/rate-limit.ts';
import type { Realtime } from '../realtime/realtime.ts';
import { findTaken, findUserByEmail, findUserById, insertUser, updateUser } from '../users/queries.ts';
import type { LoginAttempt, LoginLimit } from './login-limit.ts';
import { hashPassword, passwordHashes, verifyPassword } from './password.ts';
import { deleteOtherSessions } from './session-queries.ts';

export interface AuthDeps {
  db: Db;
  /** Sign-in attempts, counted before the password is checked (login-limit.ts). */
  loginLimit: LoginLimit;
  /** Registrations per client address (REGISTER_RATE_LIMIT). */
  registerLimit: RateLimit;
  realtime: Realtime;
  /** Forgets sessions deleted without the store (cached copies on every replica); resolves once published. */
  evictSessions: (sessionIds: string[]) => Promise<void>;
}

function takenError(taken: { email: boolean; nickname: boolean }): AppError | undefined {
  if (!taken.email && !taken.nickname) return undefined;
  const fields: Record<string, string> = {};
  if (taken.email) fields.email = 'That email is already registered.';
  if (taken.nickname) fields.nickname = 'That nickname is taken.';
  return new AppError(taken.email ? 'email_taken' : 'nickname_taken', undefined, fields);
}

/** The unique indexes are the real guard: a race between two sign-ups ends here, not in a 500. */
function uniqueViolation(err: unknown): AppError | undefined {
  const { code, constraint } = pgErrorOf(err);
  if (code !== UNIQUE_VIOLATION) return undefined;
  return takenError({
    email: constraint === 'users_email_lower_key',
    nickname: constraint === 'users_nickname_lower_key' || constraint === 'users_nickname_key_key',
  });
}

async function guardUnique<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw uniqueViolation(err) ?? err;
  }
}

/** Refused by the password-hash gate (503): nothing was checked or stored. */
const isShed = (err: unknown) => err instanceof AppError && err.code === 'unavailable';

/**
 * A new account. Every valid attempt counts against the address's budget, taken or not: each costs a
 * hash, and a 409 still answers "is this email registered?".
 */
export async function register(
  { db, registerLimit }: Pick<AuthDeps, 'db' | 'registerLimit'>,
  body: RegisterBody,
  address: string | undefined,
): Promise<UserRow> {
  const key = clientKey(address);
  await registerLimit.consume(key);
  try {
    passwordHashes.assertRoom();
  } catch (err) {
    await registerLimit.refund(key);
    throw err;
  }
  const taken = takenError(await findTaken(db, body));
  if (taken) throw taken;
  const passwordHash = await hashPassword(body.password).catch(async (err: unknown) => {
    // Shed by the hash gate (503): nothing was attempted, so the address keeps its place.
    if (isShed(err)) await registerLimit.refund(key);
    throw err;
  });
  return guardUnique(() => insertUser(db, { email: body.email, nickname: body.nickname, passwordHash }));
}

/** Null for an unknown email and a wrong password alike, after the same amount of work. */
async function verifyCredentials(db: Db, email: string, password: string): Promise<UserRow | null> {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash, password);
  return user && ok ? user : null;
}

/**
 * A sign-in: the attempt is counted (per IP, per email and IP, per email) before the password is
 * checked, so parallel guesses get no more checks than a sequence; a success gives it back. Null for
 * wrong credentials.
 */
export async function checkSignIn(
  { db, loginLimit }: Pick<AuthDeps, 'db' | 'loginLimit'>,
  body: LoginBody,
  address: string | undefined,
): Promise<UserRow | null> {
  const attempt = await loginLimit.attempt(body.email, address);
  const user = await uncheckedGivesBack(attempt, () => {
    passwordHashes.assertRoom();
    return verifyCredentials(db, body.email, body.password);
  });
  if (user) await attempt.succeeded();
  return user;
}

/** A check the hash gate shed (503) checked nothing, so its attempt is given back. */
async function uncheckedGivesBack<T>(attempt: LoginAttempt, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    if (isShed(err)) await attempt.succeeded();
    throw err;
  }
}

/** The signed-in person; a session whose user is gone counts as signed out. */
export async function getMe(db: Db, userId: number): Promise<UserRow> {
  const user = await findUserById(db, userId);
  if (!user) throw new AppError('unauthenticated');
  return user;
}

/** After the session is destroyed: its sockets go too, on every replica. */
export function signedOut({ realtime }: Pick<AuthDeps, 'realtime'>, sessionId: string): void {
  realtime.disconnectSession(sessionId);
}

/**
 * Profile changes. A new password or email ends every other session of the person (a stolen cookie
 * must not outlive it), sockets included; `sessionId` is the one that asked, and stays. A wrong
 * `currentPassword` is a failed sign-in from `address`, on the same budgets (API.md).
 */
export async function updateMe(
  deps: Pick<AuthDeps, 'db' | 'loginLimit' | 'realtime' | 'evictSessions'>,
  userId: number,
  session: { id: string; address: string | undefined },
  body: UpdateMeBody,
): Promise<UserRow> {
  const { db, realtime, evictSessions } = deps;
  const { user, credentialsChanged } = await changeProfile(deps, userId, session.address, body);
  if (credentialsChanged) {
    const ended = await deleteOtherSessions(db, userId, session.id);
    await evictSessions(ended);
    for (const sid of ended) realtime.disconnectSession(sid);
  }
  return user;
}

async function changeProfile(
  { db, loginLimit }: Pick<AuthDeps, 'db' | 'loginLimit'>,
  userId: number,
  address: string | undefined,
  body: UpdateMeBody,
): Promise<{ user: UserRow; credentialsChanged: boolean }> {
  const user = await getMe(db, userId);
  const emailChanges = body.email !== undefined && body.email.toLowerCase() !== user.email.toLowerCase();
  const credentialsChanged = emailChanges || body.newPassword !== undefined;
  if (credentialsChanged) {
    if (!body.currentPassword) {
      throw new AppError('invalid_credentials', 'Your current password is needed.', {
        currentPassword: 'Enter your current password.',
      });
    }
    // Counted before the check, like a sign-in; a missing password above checks nothing and is not.
    const attempt = await loginLimit.attempt(user.email, address);
    const current = body.currentPassword;
    if (!(await uncheckedGivesBack(attempt, () => verifyPassword(user.passwordHash, current)))) {
      throw new AppError('invalid_credentials', 'Your current password is not right.', {
        currentPassword: 'The current password is not right.',
      });
    }
    await attempt.succeeded();
  }
  if (body.email !== undefined || body.nickname !== undefined) {
    const taken = takenError(await findTaken(db, { email: body.email, nickname: body.nickname }, userId));
    if (taken) throw taken;
  }
  const values: Parameters<typeof updateUser>[2] = {};
  if (body.nickname !== undefined) values.nickname = body.nickname;
  if (body.email !== undefined) values.email = body.email;
  if (body.newPassword !== undefined) values.passwordHash = await hashPassword(body.newPassword);
  if (Object.keys(values).length === 0) return { user, credentialsChanged: false };
  return { user: await guardUnique(() => updateUser(db, userId, values)), credentialsChanged };
}

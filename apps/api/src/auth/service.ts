import type { LoginBody, RegisterBody, UpdateMeBody } from '@parley/contracts';
import { type Db, pgErrorOf, UNIQUE_VIOLATION, type UserRow } from '@parley/db';
import { AppError } from '../http/app-error.ts';
import type { RateLimit } from '../http/rate-limit.ts';
import type { Realtime } from '../realtime/realtime.ts';
import { findTaken, findUserByEmail, findUserById, insertUser, updateUser } from '../users/queries.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { deleteOtherSessions } from './session-queries.ts';

export interface LoginLimits {
  perIp: RateLimit;
  perEmail: RateLimit;
}

export interface AuthDeps {
  db: Db;
  loginLimits: LoginLimits;
  realtime: Realtime;
  /** Forgets sessions deleted without the store (cached copies on every replica). */
  evictSessions: (sessionIds: string[]) => void;
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
    nickname: constraint === 'users_nickname_lower_key',
  });
}

async function guardUnique<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw uniqueViolation(err) ?? err;
  }
}

export async function register(db: Db, body: RegisterBody): Promise<UserRow> {
  const taken = takenError(await findTaken(db, body));
  if (taken) throw taken;
  const passwordHash = await hashPassword(body.password);
  return guardUnique(() => insertUser(db, { email: body.email, nickname: body.nickname, passwordHash }));
}

/** Null for an unknown email and a wrong password alike, after the same amount of work. */
async function verifyCredentials(db: Db, email: string, password: string): Promise<UserRow | null> {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash, password);
  return user && ok ? user : null;
}

/**
 * Checks a sign-in against both budgets (per IP, per email) before any password work; a failure
 * counts against both, a success clears the email's. Null for wrong credentials.
 */
export async function checkSignIn(
  { db, loginLimits }: Pick<AuthDeps, 'db' | 'loginLimits'>,
  body: LoginBody,
  ip: string,
): Promise<UserRow | null> {
  const email = body.email.toLowerCase();
  await loginLimits.perIp.check(ip);
  await loginLimits.perEmail.check(email);
  const user = await verifyCredentials(db, body.email, body.password);
  if (!user) {
    await Promise.all([loginLimits.perIp.consume(ip), loginLimits.perEmail.consume(email)]);
    return null;
  }
  await loginLimits.perEmail.reset(email);
  return user;
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
 * Profile changes. A new password ends every other session of the person (a stolen cookie must not
 * outlive it), sockets included; `sessionId` is the one that asked, and stays.
 */
export async function updateMe(
  { db, realtime, evictSessions }: Pick<AuthDeps, 'db' | 'realtime' | 'evictSessions'>,
  userId: number,
  sessionId: string,
  body: UpdateMeBody,
): Promise<UserRow> {
  const user = await changeProfile(db, userId, body);
  if (body.newPassword !== undefined) {
    const ended = await deleteOtherSessions(db, userId, sessionId);
    evictSessions(ended);
    for (const sid of ended) realtime.disconnectSession(sid);
  }
  return user;
}

async function changeProfile(db: Db, userId: number, body: UpdateMeBody): Promise<UserRow> {
  const user = await getMe(db, userId);
  const emailChanges = body.email !== undefined && body.email.toLowerCase() !== user.email.toLowerCase();
  const sensitive = emailChanges || body.newPassword !== undefined;
  if (sensitive && !(body.currentPassword && (await verifyPassword(user.passwordHash, body.currentPassword)))) {
    throw new AppError('invalid_credentials', 'Your current password is needed, and it is not right.', {
      currentPassword: body.currentPassword ? 'The current password is not right.' : 'Enter your current password.',
    });
  }
  if (body.email !== undefined || body.nickname !== undefined) {
    const taken = takenError(await findTaken(db, { email: body.email, nickname: body.nickname }, userId));
    if (taken) throw taken;
  }
  const values: Parameters<typeof updateUser>[2] = {};
  if (body.nickname !== undefined) values.nickname = body.nickname;
  if (body.email !== undefined) values.email = body.email;
  if (body.newPassword !== undefined) values.passwordHash = await hashPassword(body.newPassword);
  if (Object.keys(values).length === 0) return user;
  return guardUnique(() => updateUser(db, userId, values));
}

import type { RegisterBody, UpdateMeBody } from '@parley/contracts';
import { type Db, pgErrorOf, UNIQUE_VIOLATION, type UserRow } from '@parley/db';
import { AppError } from '../http/app-error.ts';
import { findTaken, findUserByEmail, findUserById, insertUser, updateUser } from '../users/queries.ts';
import type { LoginAttempt } from './login-limit.ts';
import { hashPassword, verifyPassword } from './password.ts';

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

export async function register(db: Db, body: RegisterBody): Promise<UserRow> {
  const taken = takenError(await findTaken(db, body));
  if (taken) throw taken;
  const passwordHash = await hashPassword(body.password);
  return guardUnique(() => insertUser(db, { email: body.email, nickname: body.nickname, passwordHash }));
}

/** Null for an unknown email and a wrong password alike, after the same amount of work. */
export async function verifyCredentials(db: Db, email: string, password: string): Promise<UserRow | null> {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash, password);
  return user && ok ? user : null;
}

/**
 * Changes the caller's profile. An email or password change needs the current password, checked
 * under `checkPassword`'s budget (a failed sign-in when wrong). `credentialsChanged` tells the caller
 * to end the other sessions.
 */
export async function updateMe(
  db: Db,
  userId: number,
  body: UpdateMeBody,
  checkPassword: (email: string) => Promise<LoginAttempt>,
): Promise<{ user: UserRow; credentialsChanged: boolean }> {
  const user = await findUserById(db, userId);
  if (!user) throw new AppError('unauthenticated');
  const emailChanges = body.email !== undefined && body.email.toLowerCase() !== user.email.toLowerCase();
  const credentialsChanged = emailChanges || body.newPassword !== undefined;
  if (credentialsChanged) {
    if (!body.currentPassword) {
      throw new AppError('invalid_credentials', 'Your current password is needed.', {
        currentPassword: 'Enter your current password.',
      });
    }
    const attempt = await checkPassword(user.email);
    if (!(await verifyPassword(user.passwordHash, body.currentPassword))) {
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

import { z } from 'zod';
import { LIMITS } from './limits.ts';

/** PostgreSQL's integer: ids past it are not ids, and must be a 400, never a database error. */
export const ID_MAX = 2_147_483_647;
export const idSchema = z.coerce.number().int().positive().max(ID_MAX);
/** An id in a JSON body (not coerced from a string). */
export const bodyIdSchema = z.number().int().positive().max(ID_MAX);
export const timestampSchema = z.string();

/** Text for the database: PostgreSQL cannot store a NUL character, so it is refused up front. */
export const text = () => z.string().refine((value) => !value.includes('\u0000'), 'Contains a NUL character');

const trimmed = (min: number, max: number, what: string) =>
  text()
    .trim()
    .min(min, min === 1 ? `${what} is required` : `${what} must be at least ${min} characters`)
    .max(max, `${what} must be at most ${max} characters`);

export const emailSchema = text()
  .trim()
  .max(LIMITS.emailMax, `Email must be at most ${LIMITS.emailMax} characters`)
  .pipe(z.email('Enter a valid email address'));
export const nicknameSchema = trimmed(1, LIMITS.nicknameMax, 'Nickname');
export const passwordSchema = text()
  .min(LIMITS.passwordMin, `Password must be at least ${LIMITS.passwordMin} characters`)
  .max(LIMITS.passwordMax, `Password must be at most ${LIMITS.passwordMax} characters`);
export const titleSchema = text().trim().max(LIMITS.titleMax, `Title must be at most ${LIMITS.titleMax} characters`);
export const contentSchema = trimmed(1, LIMITS.contentMax, 'Message');
export const clientIdSchema = text().min(1).max(LIMITS.clientIdMax);

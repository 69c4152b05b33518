import { z } from 'zod';
import { LIMITS } from './limits.ts';

export const idSchema = z.coerce.number().int().positive().max(2_147_483_647);
export const timestampSchema = z.string();

const trimmed = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? `${what} is required` : `${what} must be at least ${min} characters`)
    .max(max, `${what} must be at most ${max} characters`);

export const emailSchema = z
  .string()
  .trim()
  .max(LIMITS.emailMax, `Email must be at most ${LIMITS.emailMax} characters`)
  .pipe(z.email('Enter a valid email address'));
export const nicknameSchema = trimmed(1, LIMITS.nicknameMax, 'Nickname');
export const passwordSchema = z
  .string()
  .min(LIMITS.passwordMin, `Password must be at least ${LIMITS.passwordMin} characters`)
  .max(LIMITS.passwordMax, `Password must be at most ${LIMITS.passwordMax} characters`);
export const titleSchema = z
  .string()
  .trim()
  .max(LIMITS.titleMax, `Title must be at most ${LIMITS.titleMax} characters`);
export const contentSchema = trimmed(1, LIMITS.contentMax, 'Message');
export const clientIdSchema = z.string().min(1).max(LIMITS.clientIdMax);

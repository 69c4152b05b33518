import { z } from 'zod';
import { LIMITS } from './limits.ts';

/** PostgreSQL's integer: ids past it are not ids, and must be a 400, never a database error. */
export const ID_MAX = 2_147_483_647;
export const idSchema = z.coerce.number().int().positive().max(ID_MAX);
/** An id in a JSON body (not coerced from a string). */
export const bodyIdSchema = z.number().int().positive().max(ID_MAX);
export const timestampSchema = z.string();

// A lone half of a surrogate pair cannot be stored as UTF-8: PostgreSQL would keep U+FFFD while the
// answer echoed the original, so it is refused instead (API.md, Conventions: nothing is replaced).
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text for the database: a NUL or an unpaired surrogate cannot be stored as sent, so both are refused. */
export const text = () =>
  z
    .string()
    .refine((value) => !value.includes('\u0000'), 'Contains a NUL character')
    .refine((value) => !UNPAIRED_SURROGATE.test(value), 'Contains an invalid character (an unpaired surrogate)');

const trimmed = (min: number, max: number, what: string) =>
  text()
    .trim()
    .min(min, min === 1 ? `${what} is required` : `${what} must be at least ${min} characters`)
    .max(max, `${what} must be at most ${max} characters`);

// Characters a reader cannot see or that change how the text around them is shown: controls (Cc),
// format characters (Cf: zero-width, direction overrides, tags), line and paragraph separators and
// every other default-ignorable code point (fillers, variation selectors).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
// Controls and the bidirectional controls (LRM, RLM, ALM, embeddings, overrides, isolates).
const CONTROL_OR_DIRECTION = /[\p{Cc}\p{Bidi_Control}]/u;

export const emailSchema = text()
  .trim()
  .max(LIMITS.emailMax, `Email must be at most ${LIMITS.emailMax} characters`)
  .pipe(z.email('Enter a valid email address'));

/**
 * A nickname is what others recognise a person by (API.md, "Abuse and identity"): NFKC-normalised
 * (full-width and other compatibility forms become their plain letters), trimmed, and refused when it
 * holds anything invisible or has no letter or digit at all. Look-alikes are the API's business.
 */
export const nicknameSchema = text()
  .transform((value) => value.normalize('NFKC').trim())
  .pipe(
    z
      .string()
      .min(1, 'Nickname is required')
      .max(LIMITS.nicknameMax, `Nickname must be at most ${LIMITS.nicknameMax} characters`)
      .refine((value) => !INVISIBLE.test(value), 'Nickname contains an invisible or control character')
      .refine((value) => value === '' || LETTER_OR_DIGIT.test(value), 'Nickname needs at least one letter or digit'),
  );
export const passwordSchema = text()
  .min(LIMITS.passwordMin, `Password must be at least ${LIMITS.passwordMin} characters`)
  .max(LIMITS.passwordMax, `Password must be at most ${LIMITS.passwordMax} characters`);
export const titleSchema = text()
  .trim()
  .max(LIMITS.titleMax, `Title must be at most ${LIMITS.titleMax} characters`)
  .refine((value) => !CONTROL_OR_DIRECTION.test(value), 'Title contains a control or text-direction character');
export const contentSchema = trimmed(1, LIMITS.contentMax, 'Message');
export const clientIdSchema = text().min(1).max(LIMITS.clientIdMax);

import type { z } from 'zod';
import { AppError } from './app-error.ts';

/** The one validation path: a zod schema from @parley/contracts, or 400 with a message per field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '_';
    fields[key] ??= issue.message;
  }
  throw new AppError('validation_failed', undefined, fields);
}

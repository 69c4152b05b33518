/** The PostgreSQL error behind a failed query; Drizzle wraps it (DrizzleQueryError.cause). */
export function pgErrorOf(err: unknown): { code?: string; constraint?: string; message?: string } {
  let current = err as { code?: string; constraint?: string; message?: string; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string') return current;
    current = current.cause as typeof current;
  }
  return {};
}

export const UNIQUE_VIOLATION = '23505';

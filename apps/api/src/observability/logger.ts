import { pgErrorOf } from '@parley/db';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Errors are logged by kind, code and stack frames only: a failed query's message carries its
 * parameters (message text, emails, password hashes), and a PostgreSQL detail may quote values.
 */
export function safeError(err: unknown) {
  if (!(err instanceof Error)) return { message: String(err) };
  const { code, constraint } = pgErrorOf(err);
  const fromDatabase = code !== undefined || err.name === 'DrizzleQueryError';
  return {
    type: err.name,
    ...(code ? { code } : {}),
    ...(constraint ? { constraint } : {}),
    message: fromDatabase ? 'database query failed' : err.message,
    // Frames only: a stack starts with the message, and a failed query's message spans lines.
    stack: err.stack
      ?.split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n'),
  };
}

/**
 * JSON logs; secrets and message contents are redacted wherever they appear. By default they go to
 * stdout through an asynchronous buffer (ADR 047), so a log line is not a system call of its own;
 * pino flushes that buffer synchronously when the process exits, a crash included, and index.ts
 * flushes it before a graceful exit.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    serializers: { err: safeError },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.content',
      ],
      censor: '[redacted]',
    },
  };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

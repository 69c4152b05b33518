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

const END_LOGS_MAX_MS = 2_000;

/**
 * Writes out every line logged so far, then calls `done`: the last step of a graceful exit. pino's
 * `flush(cb)` would not do: with no minimum length set, the destination calls back at once, even while a
 * write is in flight or waits on a full pipe with lines queued behind it, and an exit then loses those
 * lines, the last one included. Ending the destination writes the queue first. No line may be logged after.
 */
export function endLogs(logger: Logger, done: () => void): void {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    | { end?: () => void; once?: (event: string, listener: () => void) => void; destroyed?: boolean }
    | undefined;
  if (stream?.end && stream.once && !stream.destroyed) {
    // Bounded: a destination that never closes (its reader gone: pino then makes `end` a no-op) must not
    // hold the exit until the force timer, which would report a clean shutdown as a failed one.
    let called = false;
    const finish = () => {
      if (called) return;
      called = true;
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(finish, END_LOGS_MAX_MS);
    timer.unref();
    stream.once('close', finish);
    stream.end();
  } else {
    logger.flush(() => done());
  }
}

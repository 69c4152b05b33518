import pino, { type Logger } from 'pino';

/** JSON logs; secrets and message contents are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
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
  });
}

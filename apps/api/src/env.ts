import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './http/client-address.ts';

const rate = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const seconds = (fallbackSeconds: number) => z.coerce.number().int().positive().default(fallbackSeconds);
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.url().optional(),
    REDIS_URL: z.url().optional(),
    /** Namespaces every Redis key and channel, so deployments (or a bench run) can share one Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[\w.:-]{1,64}$/, 'must be 1–64 letters, digits, _ . : or -')
      .default('parley'),
    /** Where the embedded database and the development session secret live. */
    DATA_DIR: z.string().default('.data'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    PUBLIC_URL: z.url().optional(),
    LOGIN_RATE_LIMIT: rate(10),
    LOGIN_RATE_WINDOW_SECONDS: seconds(15 * 60),
    REGISTER_RATE_LIMIT: rate(10),
    REGISTER_RATE_WINDOW_SECONDS: seconds(60 * 60),
    SEND_RATE_LIMIT: rate(30),
    SEND_RATE_WINDOW_SECONDS: seconds(10),
    CREATE_RATE_LIMIT: rate(30),
    CREATE_RATE_WINDOW_SECONDS: seconds(60 * 60),
    /** The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed; off by default. */
    TRUST_PROXY: z
      .string()
      .optional()
      .transform((value, ctx): TrustProxy => {
        const parsed = parseTrustProxy(value);
        if (typeof parsed === 'object' && !Array.isArray(parsed)) {
          ctx.addIssue({ code: 'custom', message: parsed.error });
          return z.NEVER;
        }
        return parsed;
      }),
    /** Prometheus metrics listen here, never on the public port (0 picks a free port). */
    METRICS_PORT: port(9464),
    METRICS_HOST: z.string().default('127.0.0.1'),
    UPLOAD_RATE_LIMIT: rate(60),
    UPLOAD_RATE_WINDOW_SECONDS: seconds(10 * 60),
    /** The largest upload, in bytes (API.md: 413 above it). */
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(25 * 1024 * 1024),
    /** Where attachment bytes live: under DATA_DIR, or an S3-compatible service (needed by several replicas). */
    STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
    S3_BUCKET: z.string().optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((value) => value === 'true' || value === '1'),
    LINK_PREVIEWS: z.enum(['on', 'off']).default('on'),
    /** `host:port,…` that previews may reach whatever their address: for tests only (ADR 031). */
    LINK_PREVIEW_ALLOW: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Web push keys (URL-safe base64, as `web-push generate-vapid-keys` prints); unset: kept in the database. */
    VAPID_PUBLIC_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be a URL-safe base64 P-256 public key')
      .optional(),
    VAPID_PRIVATE_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{40,50}$/, 'must be a URL-safe base64 P-256 private key')
      .optional(),
    VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:|https:\/\/)\S+$/, 'must be a mailto: or https: URL')
      .optional(),
    /** Push endpoints (`host:port,…`) reached whatever their address: tests only (ADR 031). */
    PUSH_ENDPOINT_ALLOW: z.string().optional(),
    /** Serve the built SPA from this folder; unset in development, where Vite serves it. */
    WEB_DIST: z.string().optional(),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.SESSION_SECRET, {
    message: 'is required when NODE_ENV=production',
    path: ['SESSION_SECRET'],
  })
  .refine((env) => Boolean(env.VAPID_PUBLIC_KEY) === Boolean(env.VAPID_PRIVATE_KEY), {
    message: 'and VAPID_PUBLIC_KEY are set together or not at all',
    path: ['VAPID_PRIVATE_KEY'],
  })
  .refine((env) => env.STORAGE_DRIVER !== 's3' || env.S3_BUCKET, {
    message: 'is required when STORAGE_DRIVER=s3',
    path: ['S3_BUCKET'],
  });

export type Env = z.infer<typeof envSchema>;

/** Parses the configuration once; a wrong value stops the process with one line naming the variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable means "not set", as shells and compose files tend to produce them.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = issue?.path.join('.') || 'environment';
  throw new EnvError(`Invalid configuration: ${name} ${issue?.message ?? 'is invalid'}`);
}

export class EnvError extends Error {}

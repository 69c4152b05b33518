import { Router } from 'express';
import type pg from 'pg';
import type { RedisClientType } from 'redis';
import { AppError } from '../http/app-error.ts';
import { sendError } from '../http/send-error.ts';

/** Liveness and readiness, outside /api, for load balancers; metrics have a listener of their own. */
export function operationsRouter(deps: { pool: pg.Pool; redis?: RedisClientType }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    try {
      await deps.pool.query('select 1');
      if (deps.redis) await deps.redis.ping();
      res.json({ status: 'ready' });
    } catch {
      sendError(res, new AppError('unavailable', 'A dependency (database or Redis) is not reachable.', undefined, 5));
    }
  });
  return router;
}

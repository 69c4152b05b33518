import { Router } from 'express';
import type pg from 'pg';
import type { RedisClientType } from 'redis';
import { AppError } from '../http/app-error.ts';
import { sendError } from '../http/send-error.ts';
import type { createMetrics } from './metrics.ts';

/** Liveness, readiness and metrics, outside /api: for load balancers and Prometheus, not for people. */
export function operationsRouter(deps: {
  pool: pg.Pool;
  redis?: RedisClientType;
  metrics: ReturnType<typeof createMetrics>;
}): Router {
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
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}

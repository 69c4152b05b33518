import type { Request, RequestHandler } from 'express';
import type pg from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { matchedRoute } from '../http/route-pattern.ts';
import type { Realtime } from '../realtime/realtime.ts';

/**
 * A bounded route label: the pattern of the route that answered (the router's own, so a new route
 * is labelled without anything kept by hand here), "unmatched" for a 404 or an API request no route
 * took, and "static" for the rest (the SPA's files). Labels built from raw URLs would let any visitor
 * create series without end.
 */
function routeLabel(req: Request, status: number): string {
  const route = matchedRoute(req);
  if (route) return route;
  if (status === 404 || req.originalUrl.startsWith('/api/')) return 'unmatched';
  return 'static';
}

/** One registry per app (no global state), in the Prometheus text format (metrics-server.ts serves it). */
export function createMetrics(
  pool: pg.Pool,
  socketCount: () => number,
  /** The password-hash gate's load (auth/hash-gate.ts): how close sign-ins are to being shed. */
  hashLoad: () => { running: number; waiting: number; shed: number } = () => ({ running: 0, waiting: 0, shed: 0 }),
) {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request durations by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const messagesSent = new Counter({ name: 'parley_messages_sent_total', help: 'Messages stored and sent', registers });
  const fanout = new Histogram({
    name: 'parley_fanout_duration_seconds',
    help: 'Time to hand an event to the Socket.IO adapter (local sockets and Redis publish)',
    labelNames: ['event'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05],
    registers,
  });
  new Gauge({
    name: 'parley_sockets_connected',
    help: 'Sockets connected to this process',
    registers,
    collect() {
      this.set(socketCount());
    },
  });
  new Gauge({
    name: 'parley_db_pool_clients',
    help: 'Database pool clients by state',
    labelNames: ['state'] as const,
    registers,
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  new Gauge({
    name: 'parley_password_hashes',
    help: 'Password hashes running and waiting in this process',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const load = hashLoad();
      this.set({ state: 'running' }, load.running);
      this.set({ state: 'waiting' }, load.waiting);
    },
  });
  new Counter({
    name: 'parley_password_hashes_shed_total',
    help: 'Sign-ins and registrations refused with 503 because the hash queue was full or too slow',
    registers,
    collect() {
      this.reset();
      this.inc(hashLoad().shed);
    },
  });

  const httpMiddleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => end({ method: req.method, route: routeLabel(req, res.statusCode), status: res.statusCode }));
    next();
  };

  /** The same Realtime, timing each hand-off and counting messages. */
  function instrument(realtime: Realtime): Realtime {
    const timed =
      <A extends unknown[]>(event: string, fn: (...args: A) => void) =>
      (...args: A) => {
        const end = fanout.startTimer({ event });
        fn(...args);
        end();
      };
    return {
      messageNew: timed('message:new', (message) => {
        messagesSent.inc();
        realtime.messageNew(message);
      }),
      messageUpdated: timed('message:updated', realtime.messageUpdated),
      messageSeen: timed('message:seen', realtime.messageSeen),
      conversationNew: timed('conversation:new', realtime.conversationNew),
      conversationUpdated: timed('conversation:updated', realtime.conversationUpdated),
      joinRoom: realtime.joinRoom,
      leaveRoom: realtime.leaveRoom,
      conversationRemoved: timed('conversation:removed', realtime.conversationRemoved),
      conversationSettings: timed('conversation:settings', realtime.conversationSettings),
      disconnectSession: realtime.disconnectSession,
    };
  }

  const pushes = new Counter({
    name: 'parley_pushes_total',
    help: 'Web pushes by outcome: sent, gone (404/410, subscription deleted), failed, dropped (queue full)',
    labelNames: ['result'] as const,
    registers,
  });
  const countPush = (result: 'sent' | 'gone' | 'failed' | 'dropped') => pushes.inc({ result });

  /** The page cache's figures (ADR 046), read when scraped: its hit rate and what it holds. */
  function watchPageCache(stats: () => { hits: number; misses: number; entries: number; bytes: number }) {
    new Counter({
      name: 'parley_page_cache_reads_total',
      help: 'History and event page reads by whether the page was in the cache at its current seq',
      labelNames: ['result'] as const,
      registers,
      collect() {
        const { hits, misses } = stats();
        this.reset();
        this.inc({ result: 'hit' }, hits);
        this.inc({ result: 'miss' }, misses);
      },
    });
    new Gauge({
      name: 'parley_page_cache_bytes',
      help: 'Bytes of pages held by the page cache',
      registers,
      collect() {
        this.set(stats().bytes);
      },
    });
  }

  return { registry, httpMiddleware, instrument, countPush, watchPageCache };
}

import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A keep-alive HTTP client for one server; `status` 0 means the request failed before an answer. */
export class HttpClient {
  readonly agent: http.Agent;
  /** Requests that failed without an answer, by error code (ECONNRESET, timeout…). */
  readonly failures = new Map<string, number>();
  constructor(
    readonly baseUrl: string,
    maxSockets = 256,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const h: Record<string, string | number> = { ...headers };
    if (payload !== undefined) {
      h['content-type'] = 'application/json';
      h['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve) => {
      const req = http.request(`${this.baseUrl}${path}`, { method, headers: h, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
        );
        res.on('error', () => resolve({ status: 0, body: '', headers: {} }));
      });
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? err.message;
        this.failures.set(code, (this.failures.get(code) ?? 0) + 1);
        resolve({ status: 0, body: String(err), headers: {} });
      });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  close() {
    this.agent.destroy();
  }
}

export const sleep = (msDelay: number) => new Promise<void>((r) => setTimeout(r, msDelay));

/**
 * Open-loop load: send i is due at start + i/rate, whatever happened to the sends before it. The
 * scheduler wakes about every millisecond and fires every send whose time has come, handing it its
 * scheduled time so latency is counted from the schedule (no coordinated omission). Resolves when
 * every send has completed; `lateFires` counts sends fired more than 5 ms behind schedule (the load
 * generator itself falling behind).
 */
export async function openLoop(options: {
  rate: number;
  durationMs: number;
  fire: (index: number, scheduledAt: number) => Promise<unknown>;
  /** Stop scheduling once this many sends are unanswered (the server is hopelessly behind). */
  maxOutstanding?: number;
}): Promise<{ sent: number; lateFires: number; elapsedMs: number; saturated: boolean }> {
  const { rate, durationMs, fire } = options;
  let outstanding = 0;
  let saturated = false;
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const interval = 1000 / rate;
  const start = performance.now() + 5;
  const pending: Promise<unknown>[] = [];
  let next = 0;
  let lateFires = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total) {
        const scheduledAt = start + next * interval;
        if (scheduledAt > now) break;
        if (now - scheduledAt > 5) lateFires++;
        outstanding++;
        pending.push(fire(next, scheduledAt).finally(() => outstanding--));
        next++;
        if (options.maxOutstanding && outstanding > options.maxOutstanding) {
          saturated = true;
          break;
        }
      }
      if (next >= total || saturated) return resolve();
      const wait = start + next * interval - performance.now();
      setTimeout(tick, wait > 1 ? Math.floor(wait) : 0);
    };
    tick();
  });
  await Promise.all(pending);
  return { sent: next, lateFires, elapsedMs: performance.now() - start, saturated };
}

/** Closed-loop load: `concurrency` workers each issue the next request when the previous one answers. */
export async function closedLoop(options: {
  concurrency: number;
  durationMs: number;
  op: (worker: number) => Promise<boolean>;
}): Promise<{ latencies: number[]; errors: number; elapsedMs: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const ok = await options.op(worker);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  return { latencies, errors, elapsedMs: performance.now() - start };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}

import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * Prometheus metrics on a listener of their own (API.md: `METRICS_PORT`, loopback unless
 * `METRICS_HOST` says otherwise), never on the public port, so no proxy rule has to hide them.
 */
export function createMetricsServer(registry: Registry): Server {
  return createServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(text),
      () => res.writeHead(500).end(),
    );
  });
}

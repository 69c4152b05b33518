import type { Socket } from 'socket.io-client';
import { pool, sleep } from './load.ts';
import { type Running, rssKb } from './processes.ts';
import { socketReady, type Target } from './targets.ts';

export interface IdleResult {
  sockets: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  perSocketKb: number;
  connectMs: number;
}

/**
 * Opens `count` idle sockets on a freshly started server (sessions reused round-robin: many sockets
 * per session) and reads the server's VmRSS before and after. A first small batch is opened and
 * closed before the "before" reading so that lazily loaded code is not counted per socket.
 */
export async function idleSockets(options: {
  server: Running;
  target: Target;
  users: number;
  count: number;
  settleMs: number;
}): Promise<IdleResult> {
  const { server, target } = options;
  const open = async (n: number) =>
    pool(
      Array.from({ length: n }, (_, i) => i),
      100,
      async (i): Promise<Socket> => {
        const socket = target.socket(i % options.users, server.url);
        await socketReady(socket, 60_000);
        return socket;
      },
    );
  const warm = await open(Math.min(50, options.count));
  for (const s of warm) s.disconnect();
  await sleep(options.settleMs);
  const rssBeforeKb = rssKb(server.pid);
  const t0 = performance.now();
  const sockets = await open(options.count);
  const connectMs = performance.now() - t0;
  await sleep(options.settleMs);
  const rssAfterKb = rssKb(server.pid);
  for (const s of sockets) s.disconnect();
  return {
    sockets: options.count,
    rssBeforeKb,
    rssAfterKb,
    perSocketKb: (rssAfterKb - rssBeforeKb) / options.count,
    connectMs,
  };
}

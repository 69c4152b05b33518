import { type Db, sessions } from '@parley/db';
import { and, gte, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { ParleyServer } from './realtime.ts';

/** API.md: a socket whose session ended by other means than a logout goes within a minute. */
export const SESSION_SWEEP_MS = 30_000;
const BATCH = 5_000;

/**
 * A socket reads its session once, at the handshake. A logout or a new password disconnects it at
 * once; for an expiry, or a session row deleted by other means (an operator, the store's pruning),
 * each replica checks the sessions of its own sockets every `intervalMs`, in one query per batch,
 * and disconnects those whose session is gone or expired.
 */
export function startSessionSweep(io: ParleyServer, db: Db, logger: Logger, intervalMs = SESSION_SWEEP_MS) {
  let running = false;
  async function sweep() {
    if (running) return;
    running = true;
    try {
      const bySession = new Map<string, { disconnect(close: boolean): void }[]>();
      for (const socket of io.of('/').sockets.values()) {
        const list = bySession.get(socket.data.sessionId) ?? [];
        list.push(socket);
        bySession.set(socket.data.sessionId, list);
      }
      const ids = [...bySession.keys()];
      for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH);
        const alive = await db
          .select({ sid: sessions.sid })
          .from(sessions)
          .where(and(inArray(sessions.sid, batch), gte(sessions.expire, sql`now()`)));
        const kept = new Set(alive.map((row) => row.sid));
        for (const sid of batch) {
          if (kept.has(sid)) continue;
          for (const socket of bySession.get(sid) ?? []) socket.disconnect(true);
        }
      }
    } catch (err) {
      logger.warn({ err }, 'session sweep failed; trying again at the next one');
    } finally {
      running = false;
    }
  }
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return {
    sweep,
    stop() {
      clearInterval(timer);
    },
  };
}

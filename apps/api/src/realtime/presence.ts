import { type Clock, systemClock, type Timer } from '../clock.ts';

/**
 * Who is online. A user is online while any of their sockets is connected; after the last one closes
 * they stay online for a grace period, so a reload (a reconnect within seconds) causes no flicker.
 */
export interface Presence {
  /** Resolves true when this socket brought the user online (nobody saw them online before). */
  connected(userId: number, socketId: string): Promise<boolean>;
  disconnected(userId: number, socketId: string): Promise<void>;
  onlineAmong(userIds: number[]): Promise<Set<number>>;
  close(): Promise<void>;
}

export const OFFLINE_GRACE_MS = 5_000;

export interface PresenceOptions {
  /** How long a user stays online after their last socket closes. */
  graceMs?: number;
  clock?: Clock;
}

/** Presence for a single process: socket counts in memory. */
export function createLocalPresence(
  onOffline: (userId: number) => void,
  { graceMs = OFFLINE_GRACE_MS, clock = systemClock }: PresenceOptions = {},
): Presence {
  const sockets = new Map<number, Set<string>>();
  const leaving = new Map<number, Timer>();
  return {
    async connected(userId, socketId) {
      const pending = leaving.get(userId);
      if (pending) {
        clock.clearTimeout(pending);
        leaving.delete(userId);
      }
      const set = sockets.get(userId) ?? new Set();
      const cameOnline = set.size === 0 && !pending;
      set.add(socketId);
      sockets.set(userId, set);
      return cameOnline;
    },
    async disconnected(userId, socketId) {
      const set = sockets.get(userId);
      set?.delete(socketId);
      if (set && set.size > 0) return;
      sockets.delete(userId);
      leaving.set(
        userId,
        clock.setTimeout(() => {
          leaving.delete(userId);
          if (!sockets.has(userId)) onOffline(userId);
        }, graceMs),
      );
    },
    async onlineAmong(userIds) {
      return new Set(userIds.filter((id) => sockets.has(id) || leaving.has(id)));
    },
    async close() {
      for (const timer of leaving.values()) clock.clearTimeout(timer);
      leaving.clear();
    },
  };
}

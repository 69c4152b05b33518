import { rooms, typingClientPayload } from '@parley/contracts';
import type { Db } from '@parley/db';
import type { Clock } from '../../clock.ts';
import { requireMember, requireOpen } from '../../conversations/access.ts';
import type { RateLimit } from '../../http/rate-limit.ts';
import type { ParleyServer, ParleySocket } from '../realtime.ts';
import { createTypingThrottle } from '../typing.ts';

export interface TypingDeps {
  db: Db;
  io: ParleyServer;
  clock: Pick<Clock, 'now'>;
  /**
   * With Redis, the same budget shared by every replica, so sockets spread over replicas buy no more
   * relays either. Checked after this process's own throttle, which drops most of a flood for free.
   */
  sharedLimit?: RateLimit;
}

/**
 * `typing` from a client: validated with the contract's schema, throttled per user and conversation
 * (not per socket: more sockets buy no more relays, API.md), relayed to the
 * conversation's other members only when the typist is a member of an open conversation (else
 * ignored, API.md). One socket's events are relayed in the order they came: a later one never
 * overtakes an earlier one still waiting on its membership check.
 */
export function createTypingHandlers({ db, io, clock, sharedLimit }: TypingDeps) {
  const throttle = createTypingThrottle(clock);
  // Who was last let through as typing, per user and conversation (marked on receipt, in order): a
  // stop goes once after each of those and never on its own, so stops cannot flood past the throttle.
  const typing = new Set<string>();

  async function relay(userId: number, conversationId: number, key: string, stopped: boolean) {
    try {
      if (!stopped) await sharedLimit?.consume(key);
      requireOpen(await requireMember(db, conversationId, userId));
    } catch {
      return;
    }
    const event = stopped ? { conversationId, userId, stopped: true as const } : { conversationId, userId };
    io.to(rooms.conversation(conversationId)).except(rooms.user(userId)).emit('typing', event);
  }

  return (socket: ParleySocket) => {
    let queue = Promise.resolve();
    return {
      typing(payload: unknown) {
        const parsed = typingClientPayload.safeParse(payload);
        if (!parsed.success) return;
        const { conversationId, stopped = false } = parsed.data;
        const key = `${socket.data.userId}:${conversationId}`;
        if (stopped ? !typing.delete(key) : !throttle.allow(key)) return;
        if (!stopped) typing.add(key);
        queue = queue.then(() => relay(socket.data.userId, conversationId, key, stopped));
      },
      // The budget is the user's, shared with their other sockets: nothing to forget per socket.
      disconnect() {},
    };
  };
}

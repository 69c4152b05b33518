import { rooms, typingClientPayload } from '@parley/contracts';
import type { Db } from '@parley/db';
import type { Clock } from '../../clock.ts';
import { requireMember, requireOpen } from '../../conversations/access.ts';
import type { ParleyServer, ParleySocket } from '../realtime.ts';
import { createTypingThrottle } from '../typing.ts';

export interface TypingDeps {
  db: Db;
  io: ParleyServer;
  clock: Pick<Clock, 'now'>;
}

/**
 * `typing` from a client: validated with the contract's schema, throttled per socket, relayed to the
 * conversation's other members only when the typist is a member of an open conversation (else
 * ignored, API.md). One socket's events are relayed in the order they came: a later one never
 * overtakes an earlier one still waiting on its membership check.
 */
export function createTypingHandlers({ db, io, clock }: TypingDeps) {
  const throttle = createTypingThrottle(clock);

  async function relay(userId: number, conversationId: number) {
    try {
      requireOpen(await requireMember(db, conversationId, userId));
    } catch {
      return;
    }
    io.to(rooms.conversation(conversationId)).except(rooms.user(userId)).emit('typing', { conversationId, userId });
  }

  return (socket: ParleySocket) => {
    let queue = Promise.resolve();
    return {
      typing(payload: unknown) {
        const parsed = typingClientPayload.safeParse(payload);
        if (!parsed.success || !throttle.allow(socket.id)) return;
        const { conversationId } = parsed.data;
        queue = queue.then(() => relay(socket.data.userId, conversationId));
      },
      disconnect() {
        throttle.forget(socket.id);
      },
    };
  };
}

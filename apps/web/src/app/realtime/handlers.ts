import type { ConversationEvent } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import {
  findConversation,
  removeConversation,
  setConversationMuted,
  upsertConversation,
} from '../../features/conversations/index.ts';
import {
  type ConversationSync,
  clearTyping,
  messagesQuery,
  type OutboxSender,
  setTyping,
} from '../../features/messages/index.ts';
import type { Notifier } from '../../features/notifications/index.ts';
import { setPresence } from '../../features/users/index.ts';
import type { AppSocket } from '../../lib/socket.ts';

export interface HandlerContext {
  queryClient: QueryClient;
  userId: number;
  sender: OutboxSender;
  notifier: Notifier;
  sync: ConversationSync;
  /** I am no longer in this conversation: its open view goes away. */
  left(conversationId: number): void;
}

/**
 * The sequenced events go through the one applyEvent (ConversationSync.receive), exactly as a catch-up
 * applies them; what only a live event does (notify, confirm a send, stop a typing line) is done here,
 * and only for an event that was new. Returns a function that removes the handlers.
 */
export function registerHandlers(socket: AppSocket, ctx: HandlerContext): () => void {
  const { queryClient, userId, sync } = ctx;
  const receive = (event: ConversationEvent) => sync.receive(event);

  socket.on('message:new', (message) => {
    const result = receive({ type: 'message:new', payload: message });
    if (message.sender.id === userId) {
      ctx.sender.confirm(message);
      return;
    }
    clearTyping(queryClient, message.conversationId, message.sender.id);
    // A live `message:new` is emitted once, at its commit: it is news even when a list fetched a moment
    // ago already holds it ('stale'), which happens when that fetch was answered after the commit. The
    // notifier announces each message once.
    if (result !== 'unknown') ctx.notifier.message(message, findConversation(queryClient, message.conversationId));
  });
  socket.on('message:updated', (payload) => {
    const { conversationId, message } = payload;
    // An edit notifies only for a mention of me that it adds: compared with the message as held before
    // the event is applied. Not held: nothing to compare with, and a mention it kept must not notify twice.
    const held = queryClient
      .getQueryData(messagesQuery(conversationId).queryKey)
      ?.messages.find((m) => m.id === message.id);
    const result = receive({ type: 'message:updated', payload });
    if (held && (result === 'applied' || result === 'gap')) {
      ctx.notifier.edited(message, held, findConversation(queryClient, conversationId));
    }
  });
  socket.on('message:seen', (payload) => receive({ type: 'message:seen', payload }));
  socket.on('conversation:updated', (payload) => receive({ type: 'conversation:updated', payload }));

  socket.on('conversation:new', (conversation) => {
    upsertConversation(queryClient, conversation);
    ctx.notifier.conversation(conversation);
  });

  socket.on('conversation:removed', ({ conversationId }) => {
    removeConversation(queryClient, conversationId);
    ctx.left(conversationId);
  });

  socket.on('conversation:settings', ({ conversationId, muted }) =>
    setConversationMuted(queryClient, conversationId, muted),
  );

  socket.on('typing', ({ conversationId, userId: typist, stopped }) => {
    if (typist === userId) return;
    if (stopped) clearTyping(queryClient, conversationId, typist);
    else setTyping(queryClient, conversationId, typist);
  });

  socket.on('presence', ({ userId: who, online }) => setPresence(queryClient, who, online));

  return () => {
    for (const name of [
      'message:new',
      'message:updated',
      'message:seen',
      'conversation:updated',
      'conversation:new',
      'conversation:removed',
      'conversation:settings',
      'typing',
      'presence',
    ] as const) {
      socket.off(name);
    }
  };
}

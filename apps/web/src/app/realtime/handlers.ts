import type { QueryClient } from '@tanstack/react-query';
import {
  conversationsQuery,
  createUnreadCounter,
  findConversation,
  removeConversation,
  setConversationMuted,
  upsertConversation,
} from '../../features/conversations/index.ts';
import {
  addMessages,
  applySeen,
  type CatchUp,
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
  catchUp: CatchUp;
  notifier: Notifier;
  /** The person is looking at the bottom of this conversation right now: its new messages are read. */
  isReading(conversationId: number): boolean;
  /** I am no longer in this conversation: its open view goes away. */
  left(conversationId: number): void;
}

/**
 * Each event patches the cache entries it concerns, in place, through the features' own patch functions.
 * What is decided here is only the routing: my own message confirms a send (the outbox), someone else's
 * goes to the history, the unread count, the typing line and the notifier; a gap starts a catch-up, and a
 * message for a conversation the sidebar lacks reloads the sidebar. Returns a function that removes them.
 */
export function registerHandlers(socket: AppSocket, ctx: HandlerContext): () => void {
  const { queryClient, userId } = ctx;
  const unread = createUnreadCounter(queryClient, userId);

  const catchUpQuietly = (conversationId: number) => {
    void ctx.catchUp(conversationId).catch(() => {});
  };

  socket.on('message:new', (message) => {
    const { conversationId } = message;
    // My own system entries (I added someone) are not sends of the outbox: they go to the history.
    if (message.sender.id === userId && message.kind === 'user') {
      ctx.sender.confirm(message);
      return;
    }
    if (addMessages(queryClient, conversationId, [message])) catchUpQuietly(conversationId);
    if (!unread.arrived(message, ctx.isReading(conversationId))) {
      void queryClient.invalidateQueries({ queryKey: conversationsQuery().queryKey, exact: true });
    }
    clearTyping(queryClient, conversationId, message.sender.id);
    ctx.notifier.message(message, findConversation(queryClient, conversationId));
  });

  socket.on('message:seen', (event) => {
    applySeen(queryClient, event);
    if (event.userId === userId) unread.seen(event.conversationId, event.messageIds);
  });

  socket.on('conversation:new', (conversation) => {
    upsertConversation(queryClient, conversation);
    ctx.notifier.conversation(conversation);
  });

  socket.on('conversation:updated', (event) => upsertConversation(queryClient, event.conversation));

  socket.on('typing', ({ conversationId, userId: typist }) => {
    if (typist !== userId) setTyping(queryClient, conversationId, typist);
  });

  socket.on('presence', ({ userId: who, online }) => setPresence(queryClient, who, online));

  // An edit notifies only for a mention of me that it adds: compared with the message as held, so this
  // must run before anything patches the cache with the new state.
  socket.on('message:updated', ({ conversationId, message }) => {
    const held = queryClient
      .getQueryData(messagesQuery(conversationId).queryKey)
      ?.messages.find((m) => m.id === message.id);
    // Not held: nothing to compare with, and a mention it kept must not notify twice.
    if (held) ctx.notifier.edited(message, held, findConversation(queryClient, conversationId));
  });

  socket.on('conversation:removed', ({ conversationId }) => {
    removeConversation(queryClient, conversationId);
    ctx.left(conversationId);
  });

  socket.on('conversation:settings', ({ conversationId, muted }) =>
    setConversationMuted(queryClient, conversationId, muted),
  );

  return () => {
    socket.off('message:new');
    socket.off('message:seen');
    socket.off('conversation:new');
    socket.off('conversation:updated');
    socket.off('typing');
    socket.off('presence');
    socket.off('message:updated');
    socket.off('conversation:removed');
    socket.off('conversation:settings');
  };
}

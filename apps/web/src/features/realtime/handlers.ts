import type { QueryClient } from '@tanstack/react-query';
import type { AppSocket } from '../../lib/socket.ts';
import {
  applyMessageToList,
  conversationsQuery,
  findConversation,
  reduceUnread,
  upsertConversation,
} from '../conversations/index.ts';
import { addMessages, applySeen, catchUp, clearTyping, type OutboxSender, setTyping } from '../messages/index.ts';
import type { Notifier } from '../notifications/index.ts';
import { setPresence } from '../users/index.ts';

export interface HandlerContext {
  queryClient: QueryClient;
  userId: number;
  sender: OutboxSender;
  notifier: Notifier;
  /** The person is looking at the bottom of this conversation right now: its new messages are read. */
  isReading(conversationId: number): boolean;
}

/**
 * Each event patches the cache entries it concerns, in place. Returns a function that removes the
 * handlers.
 */
export function registerHandlers(socket: AppSocket, ctx: HandlerContext): () => void {
  const { queryClient, userId } = ctx;
  // Messages that arrived while being read were never added to the unread count, so their
  // `message:seen` must not take them off it either.
  const neverCounted = new Set<number>();

  const catchUpQuietly = (conversationId: number) => {
    void catchUp(queryClient, conversationId).catch(() => {});
  };

  socket.on('message:new', (message) => {
    const { conversationId } = message;
    if (message.sender.id === userId) {
      ctx.sender.confirm(message);
      return;
    }
    if (addMessages(queryClient, conversationId, [message])) catchUpQuietly(conversationId);
    const reading = ctx.isReading(conversationId);
    if (reading) neverCounted.add(message.id);
    if (!applyMessageToList(queryClient, message, !reading)) {
      void queryClient.invalidateQueries({ queryKey: conversationsQuery().queryKey, exact: true });
    }
    clearTyping(queryClient, conversationId, message.sender.id);
    ctx.notifier.message(message, findConversation(queryClient, conversationId));
  });

  socket.on('message:seen', (event) => {
    applySeen(queryClient, event);
    if (event.userId !== userId) return;
    const counted = event.messageIds.filter((id) => !neverCounted.delete(id)).length;
    reduceUnread(queryClient, event.conversationId, counted);
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

  return () => {
    socket.off('message:new');
    socket.off('message:seen');
    socket.off('conversation:new');
    socket.off('conversation:updated');
    socket.off('typing');
    socket.off('presence');
  };
}

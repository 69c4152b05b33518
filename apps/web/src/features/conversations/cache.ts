import type { Conversation, Message } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { conversationQuery, conversationsQuery } from './queries.ts';

function byActivity(a: Conversation, b: Conversation): number {
  return b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id - a.id;
}

/** A created, renamed or closed conversation: replace (or add) it in the sidebar and its detail. */
export function upsertConversation(queryClient: QueryClient, conversation: Conversation): void {
  queryClient.setQueryData(conversationsQuery().queryKey, (list) => {
    if (!list) return list;
    const others = list.filter((c) => c.id !== conversation.id);
    const existing = list.find((c) => c.id === conversation.id);
    // Keep what events already taught us if this copy is older (a rename racing a new message).
    const merged =
      existing?.lastMessage && (conversation.lastMessage?.id ?? 0) < existing.lastMessage.id
        ? {
            ...conversation,
            lastMessage: existing.lastMessage,
            lastActivityAt: existing.lastActivityAt,
            unreadCount: existing.unreadCount,
          }
        : conversation;
    return [merged, ...others].sort(byActivity);
  });
  queryClient.setQueryData(conversationQuery(conversation.id).queryKey, (current) =>
    current ? { ...current, ...conversation, lastMessage: current.lastMessage } : conversation,
  );
}

/**
 * A new message moves its conversation to the top with the new preview. Returns false when the
 * conversation is not in the sidebar (a missed `conversation:new`), so the caller can refresh it.
 */
export function applyMessageToList(queryClient: QueryClient, message: Message, countAsUnread: boolean): boolean {
  const list = queryClient.getQueryData(conversationsQuery().queryKey);
  if (!list) return true;
  const current = list.find((c) => c.id === message.conversationId);
  if (!current) return false;
  // Older or already applied (the REST answer and the socket event race): nothing to change.
  if (current.lastMessage && current.lastMessage.id >= message.id) return true;
  const updated: Conversation = {
    ...current,
    lastMessage: message,
    lastActivityAt:
      Date.parse(message.createdAt) > Date.parse(current.lastActivityAt) ? message.createdAt : current.lastActivityAt,
    unreadCount: current.unreadCount + (countAsUnread ? 1 : 0),
  };
  queryClient.setQueryData(conversationsQuery().queryKey, [
    updated,
    ...list.filter((c) => c.id !== message.conversationId),
  ]);
  return true;
}

export function reduceUnread(queryClient: QueryClient, conversationId: number, by: number): void {
  if (by <= 0) return;
  queryClient.setQueryData(conversationsQuery().queryKey, (list) =>
    list?.map((c) => (c.id === conversationId ? { ...c, unreadCount: Math.max(0, c.unreadCount - by) } : c)),
  );
}

export function findConversation(queryClient: QueryClient, conversationId: number): Conversation | undefined {
  return (
    queryClient.getQueryData(conversationQuery(conversationId).queryKey) ??
    queryClient.getQueryData(conversationsQuery().queryKey)?.find((c) => c.id === conversationId)
  );
}

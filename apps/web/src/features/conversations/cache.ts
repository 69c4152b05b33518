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
export function applyMessageToList(
  queryClient: QueryClient,
  message: Message,
  countAsUnread: boolean,
  mentionsMe = false,
): boolean {
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
    unreadMentionCount: current.unreadMentionCount + (countAsUnread && mentionsMe ? 1 : 0),
  };
  queryClient.setQueryData(conversationsQuery().queryKey, [
    updated,
    ...list.filter((c) => c.id !== message.conversationId),
  ]);
  return true;
}

export function reduceUnread(queryClient: QueryClient, conversationId: number, by: number): void {
  if (by <= 0) return;
  const before = queryClient.getQueryData(conversationsQuery().queryKey)?.find((c) => c.id === conversationId);
  queryClient.setQueryData(conversationsQuery().queryKey, (list) =>
    list?.map((c) => {
      if (c.id !== conversationId) return c;
      const unreadCount = Math.max(0, c.unreadCount - by);
      return { ...c, unreadCount, unreadMentionCount: unreadCount === 0 ? 0 : c.unreadMentionCount };
    }),
  );
  // Which of the seen ones mentioned me is the server's to say: read the list again when it may have changed.
  if (before && before.unreadMentionCount > 0 && before.unreadCount > by) {
    void queryClient.invalidateQueries({ queryKey: conversationsQuery().queryKey, exact: true });
  }
}

/** I was removed or left: the conversation goes from the sidebar and every cache of it. */
export function removeConversation(queryClient: QueryClient, conversationId: number): void {
  queryClient.setQueryData(conversationsQuery().queryKey, (list) => list?.filter((c) => c.id !== conversationId));
  queryClient.removeQueries({ queryKey: conversationQuery(conversationId).queryKey, exact: true });
}

/** My own mute setting changed (this tab or another). */
export function setConversationMuted(queryClient: QueryClient, conversationId: number, muted: boolean): void {
  const patch = (c: Conversation) => (c.id === conversationId ? { ...c, muted } : c);
  queryClient.setQueryData(conversationsQuery().queryKey, (list) => list?.map(patch));
  queryClient.setQueryData(conversationQuery(conversationId).queryKey, (c) => (c ? patch(c) : c));
}

export function findConversation(queryClient: QueryClient, conversationId: number): Conversation | undefined {
  return (
    queryClient.getQueryData(conversationQuery(conversationId).queryKey) ??
    queryClient.getQueryData(conversationsQuery().queryKey)?.find((c) => c.id === conversationId)
  );
}

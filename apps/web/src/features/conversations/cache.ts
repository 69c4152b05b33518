import type { Conversation, Message } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { recordMute } from './mute-ledger.ts';
import { conversationQuery, conversationsQuery } from './queries.ts';
import { sortByActivity } from './summary-events.ts';

/**
 * A conversation from a REST answer or `conversation:new`: each copy is current to its `seq`, so the
 * newer of it and the one held is kept, in the sidebar and as the detail.
 */
export function upsertConversation(queryClient: QueryClient, conversation: Conversation): void {
  queryClient.setQueryData(conversationsQuery().queryKey, (list) => {
    if (!list) return list;
    const existing = list.find((c) => c.id === conversation.id);
    if (existing && existing.seq > conversation.seq) return list;
    return sortByActivity([conversation, ...list.filter((c) => c.id !== conversation.id)]);
  });
  queryClient.setQueryData(conversationQuery(conversation.id).queryKey, (current) =>
    current && current.seq > conversation.seq ? current : conversation,
  );
}

/**
 * My own message, confirmed by its REST answer: the sidebar shows it at once. The summary's `seq` does
 * not move, so the message's `message:new` is still applied when it comes (without counting: it is mine).
 */
export function showSentInList(queryClient: QueryClient, message: Message): void {
  queryClient.setQueryData(conversationsQuery().queryKey, (list) => {
    const current = list?.find((c) => c.id === message.conversationId);
    if (!list || !current || (current.lastMessage && current.lastMessage.id >= message.id)) return list;
    const lastActivityAt =
      Date.parse(message.createdAt) > Date.parse(current.lastActivityAt) ? message.createdAt : current.lastActivityAt;
    return sortByActivity(
      list.map((c) => (c.id === message.conversationId ? { ...current, lastMessage: message, lastActivityAt } : c)),
    );
  });
}

export function findConversation(queryClient: QueryClient, conversationId: number): Conversation | undefined {
  return (
    queryClient.getQueryData(conversationQuery(conversationId).queryKey) ??
    queryClient.getQueryData(conversationsQuery().queryKey)?.find((c) => c.id === conversationId)
  );
}

/** I was removed or left: the conversation goes from the sidebar and every cache of it. */
export function removeConversation(queryClient: QueryClient, conversationId: number): void {
  queryClient.setQueryData(conversationsQuery().queryKey, (list) => list?.filter((c) => c.id !== conversationId));
  queryClient.removeQueries({ queryKey: conversationQuery(conversationId).queryKey, exact: true });
}

/** My own mute setting changed (this tab or another): the sidebar and the open header follow. */
export function setConversationMuted(queryClient: QueryClient, conversationId: number, muted: boolean): void {
  recordMute(queryClient, conversationId, muted);
  const patch = (c: Conversation) => (c.id === conversationId ? { ...c, muted } : c);
  queryClient.setQueryData(conversationsQuery().queryKey, (list) => list?.map(patch));
  queryClient.setQueryData(conversationQuery(conversationId).queryKey, (c) => (c ? patch(c) : c));
}

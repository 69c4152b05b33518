import type { Message } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { applyMessageToList, reduceUnread } from './cache.ts';

/**
 * The sidebar's unread counts between two loads of the list, kept from socket events. A message from
 * someone else counts unless it arrived while its conversation was being read; my own `message:seen`
 * (from any of my tabs) takes off only the messages that were counted.
 */
export interface UnreadCounter {
  /** A message from someone else arrived. False when its conversation is not in the sidebar. */
  arrived(message: Message, read: boolean): boolean;
  /** I saw these messages of a conversation. */
  seen(conversationId: number, messageIds: readonly number[]): void;
}

/** One per socket connection's handlers: what it remembers is only what that socket delivered. */
export function createUnreadCounter(queryClient: QueryClient, userId?: number): UnreadCounter {
  // Messages that arrived while being read were never added to the count, so their `message:seen`
  // must not take them off it either.
  const neverCounted = new Set<number>();
  return {
    arrived(message, read) {
      // System entries never count as unread (API.md).
      const counts = !read && message.kind === 'user';
      if (!counts) neverCounted.add(message.id);
      return applyMessageToList(
        queryClient,
        message,
        counts,
        userId !== undefined && message.mentions.includes(userId),
      );
    },
    seen(conversationId, messageIds) {
      const counted = messageIds.filter((id) => !neverCounted.delete(id)).length;
      reduceUnread(queryClient, conversationId, counted);
    },
  };
}

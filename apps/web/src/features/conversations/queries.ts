import type { ConversationResponse, ConversationsResponse } from '@parley/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { keepNewerMute, keepNewerMutes, muteMark } from './mute-ledger.ts';

// The conversation cache entries and their keys: every key below is built here, and only here.

// Socket events keep both lists fresh, so neither goes stale by time; a reconnect refreshes them.
export const conversationsQuery = () =>
  queryOptions({
    queryKey: ['conversations'] as const,
    queryFn: async ({ signal, client }) => {
      const mark = muteMark(client);
      const { conversations } = await api<ConversationsResponse>('/conversations', { signal });
      return keepNewerMutes(client, conversations, mark);
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

/** The prefix of every conversation's detail entry, for refreshing them all after a reconnect. */
export const conversationDetailsKey = ['conversation'] as const;

export const conversationQuery = (conversationId: number) =>
  queryOptions({
    queryKey: [...conversationDetailsKey, conversationId] as const,
    queryFn: async ({ signal, client }) => {
      const mark = muteMark(client);
      const { conversation } = await api<ConversationResponse>(`/conversations/${conversationId}`, { signal });
      return keepNewerMute(client, conversation, mark);
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

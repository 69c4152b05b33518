import type {
  Conversation,
  ConversationResponse,
  ConversationsResponse,
  CreateConversationBody,
} from '@parley/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { upsertConversation } from './cache.ts';

// Socket events keep both lists fresh, so neither goes stale by time; a reconnect refreshes them.
export const conversationsQuery = () =>
  queryOptions({
    queryKey: ['conversations'] as const,
    queryFn: async ({ signal }) => (await api<ConversationsResponse>('/conversations', { signal })).conversations,
    staleTime: Number.POSITIVE_INFINITY,
  });

/** The prefix of every conversation's detail entry, for refreshing them all after a reconnect. */
export const conversationDetailsKey = ['conversation'] as const;

export const conversationQuery = (conversationId: number) =>
  queryOptions({
    queryKey: [...conversationDetailsKey, conversationId] as const,
    queryFn: async ({ signal }) =>
      (await api<ConversationResponse>(`/conversations/${conversationId}`, { signal })).conversation,
    staleTime: Number.POSITIVE_INFINITY,
  });

export function useCreateConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateConversationBody) =>
      (await api<ConversationResponse>('/conversations', { method: 'POST', body })).conversation,
    onSuccess: (conversation) => upsertConversation(queryClient, conversation),
  });
}

export function useRenameConversation(conversationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (title: string) =>
      (
        await api<ConversationResponse>(`/conversations/${conversationId}`, {
          method: 'PATCH',
          body: { title },
        })
      ).conversation,
    onSuccess: (conversation: Conversation) => upsertConversation(queryClient, conversation),
  });
}

export function useCloseConversation(conversationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      (await api<ConversationResponse>(`/conversations/${conversationId}/close`, { method: 'POST', body: {} }))
        .conversation,
    onSuccess: (conversation: Conversation) => upsertConversation(queryClient, conversation),
  });
}

import type { Conversation, ConversationResponse, CreateConversationBody } from '@parley/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { upsertConversation } from './cache.ts';

// Each answer patches the cache as the matching socket event would, so the sidebar never waits for the echo.

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

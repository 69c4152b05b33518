import type { Conversation, ConversationResponse, CreateConversationBody } from '@parley/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { removeConversation, setConversationMuted, upsertConversation } from './cache.ts';

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
    mutationFn: async (title: string | null) =>
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

export function useAddMembers(conversationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userIds: number[]) =>
      (
        await api<ConversationResponse>(`/conversations/${conversationId}/members`, {
          method: 'POST',
          body: { userIds },
        })
      ).conversation,
    onSuccess: (conversation: Conversation) => upsertConversation(queryClient, conversation),
  });
}

/** The owner removing someone, or (userId = me) leaving. */
export function useRemoveMember(conversationId: number, meId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: number) =>
      api<void>(`/conversations/${conversationId}/members/${userId}`, { method: 'DELETE' }),
    onSuccess: (_answer, userId) => {
      if (userId === meId) removeConversation(queryClient, conversationId);
      else void queryClient.invalidateQueries({ queryKey: ['conversation', conversationId], exact: true });
    },
  });
}

export function useSetMuted(conversationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (muted: boolean) =>
      (await api<ConversationResponse>(`/conversations/${conversationId}/mute`, { method: muted ? 'PUT' : 'DELETE' }))
        .conversation,
    onSuccess: (conversation: Conversation) => setConversationMuted(queryClient, conversation.id, conversation.muted),
  });
}

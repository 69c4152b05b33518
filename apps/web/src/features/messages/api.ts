import {
  LIMITS,
  type Message,
  type MessageResponse,
  type MessagesResponse,
  type SeenResponse,
} from '@parley/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

/**
 * A conversation's loaded history: one contiguous window ending at the newest message, grown
 * backwards page by page (`before=`) and forwards by events and catch-ups (`after=`).
 */
export interface MessageWindow {
  messages: Message[];
  hasOlder: boolean;
}

export interface TypingEntry {
  userId: number;
  expiresAt: number;
}

/** The prefix of every conversation's history entry, for finding the loaded ones. */
export const messageWindowsKey = ['messages'] as const;

export const messagesQuery = (conversationId: number) =>
  queryOptions({
    queryKey: [...messageWindowsKey, conversationId] as const,
    queryFn: async ({ signal }): Promise<MessageWindow> => {
      const page = await fetchNewest(conversationId, signal);
      return { messages: page.messages, hasOlder: page.hasMore };
    },
    // Events and reconnect catch-ups keep the window current; refetching would drop older pages.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 15 * 60_000,
  });

/** Who is typing in a conversation: client-side only, fed by `typing` events. */
export const typingQuery = (conversationId: number) =>
  queryOptions({
    queryKey: ['typing', conversationId] as const,
    queryFn: (): TypingEntry[] => [],
    initialData: [] as TypingEntry[],
    staleTime: Number.POSITIVE_INFINITY,
  });

export function fetchNewest(conversationId: number, signal?: AbortSignal): Promise<MessagesResponse> {
  return api<MessagesResponse>(`/conversations/${conversationId}/messages?limit=${LIMITS.pageDefault}`, {
    ...(signal ? { signal } : {}),
  });
}

export function fetchOlder(conversationId: number, beforeId: number): Promise<MessagesResponse> {
  return api<MessagesResponse>(`/conversations/${conversationId}/messages?before=${beforeId}&limit=${LIMITS.pageMax}`);
}

export function fetchNewer(conversationId: number, afterId: number): Promise<MessagesResponse> {
  return api<MessagesResponse>(`/conversations/${conversationId}/messages?after=${afterId}&limit=${LIMITS.pageMax}`);
}

export async function postMessage(conversationId: number, content: string, clientId: string): Promise<Message> {
  const body = { content, clientId };
  return (await api<MessageResponse>(`/conversations/${conversationId}/messages`, { method: 'POST', body })).message;
}

export function postSeen(conversationId: number, upToMessageId: number): Promise<SeenResponse> {
  return api<SeenResponse>(`/conversations/${conversationId}/seen`, { method: 'POST', body: { upToMessageId } });
}

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
 * A conversation's loaded history: one contiguous run of messages, usually ending at the newest one,
 * grown backwards page by page (`before=`) and forwards by events. `seq` is the conversation's
 * sequence number up to which every change is applied to it (see applyEvent).
 */
export interface MessageWindow {
  messages: Message[];
  hasOlder: boolean;
  /** The run stops short of the newest message (opened `around=` one far back): new messages wait. */
  hasNewer: boolean;
  seq: number;
}

/**
 * A page fetched at some moment reflects every change numbered up to that moment, so the newest `seq`
 * among its messages is a safe place to apply events from: the events after it that the page already
 * reflects change nothing when applied again (payloads are states).
 */
export function windowFromPage(page: MessagesResponse): MessageWindow {
  const seq = page.messages.reduce((max, message) => Math.max(max, message.seq), 0);
  return { messages: page.messages, hasOlder: page.hasMore, hasNewer: page.hasMoreAfter ?? false, seq };
}

export interface TypingEntry {
  userId: number;
  expiresAt: number;
}

export const messagesQuery = (conversationId: number) =>
  queryOptions({
    queryKey: ['messages', conversationId] as const,
    queryFn: async ({ signal }): Promise<MessageWindow> => {
      const page = await fetchNewest(conversationId, signal);
      return windowFromPage({ messages: page.messages, hasMore: page.hasMore });
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

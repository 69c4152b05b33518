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
 * A conversation's loaded history: one contiguous run of messages ending at the newest one, grown
 * backwards page by page (`before=`, `around=`) and forwards by events. `seq` is the conversation's
 * sequence number up to which every change is applied to it (see applyEvent).
 */
export interface MessageWindow {
  messages: Message[];
  hasOlder: boolean;
  seq: number;
}

/**
 * A page fetched at some moment reflects every change numbered up to that moment, so the newest `seq`
 * among its messages is a safe place to apply events from: the events after it that the page already
 * reflects change nothing when applied again (payloads are states).
 */
export function windowFromPage(page: MessagesResponse): MessageWindow {
  const seq = page.messages.reduce((max, message) => Math.max(max, message.seq), 0);
  return { messages: page.messages, hasOlder: page.hasMore, seq };
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
      return windowFromPage(page);
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

export function fetchAround(conversationId: number, messageId: number): Promise<MessagesResponse> {
  return api<MessagesResponse>(`/conversations/${conversationId}/messages?around=${messageId}&limit=${LIMITS.pageMax}`);
}

export async function postMessage(
  conversationId: number,
  content: string,
  clientId: string,
  replyToId?: number,
  attachmentIds?: number[],
): Promise<Message> {
  const body = {
    content,
    clientId,
    ...(replyToId ? { replyToId } : {}),
    ...(attachmentIds?.length ? { attachmentIds } : {}),
  };
  return (await api<MessageResponse>(`/conversations/${conversationId}/messages`, { method: 'POST', body })).message;
}

const messagePath = (message: Pick<Message, 'conversationId' | 'id'>) =>
  `/conversations/${message.conversationId}/messages/${message.id}`;

export async function patchMessage(message: Message, content: string): Promise<Message> {
  return (await api<MessageResponse>(messagePath(message), { method: 'PATCH', body: { content } })).message;
}

export async function deleteMessage(message: Message): Promise<Message> {
  return (await api<MessageResponse>(messagePath(message), { method: 'DELETE' })).message;
}

// The contract's test of one emoji (emojiSchema in @parley/contracts), without importing zod into the app
// for it. Built on first use: compiling \p{RGI_Emoji} takes 20–60 ms, which at module load would land in
// the first script task of every screen, though only a reaction needs it.
let oneEmoji: RegExp | undefined;
const isOneEmoji = (text: string) => {
  // `new RegExp`: the v flag in a literal needs an ES2024 target.
  // biome-ignore lint/complexity/useRegexLiterals: see above
  oneEmoji ??= new RegExp('^\\p{RGI_Emoji}$', 'v');
  return oneEmoji.test(text);
};

/**
 * The emoji as the contract names it: one RGI sequence. Emoji data spells some with a variation
 * selector that the RGI form has not ("👍️" for "👍"); those go without it.
 */
export function rgiEmoji(emoji: string): string {
  if (isOneEmoji(emoji)) return emoji;
  const bare = emoji.replace(/\uFE0F/g, '');
  return isOneEmoji(bare) ? bare : emoji;
}

/** Adds (`PUT`) or takes back (`DELETE`) the caller's reaction; both are idempotent. */
export async function setReaction(message: Message, emoji: string, on: boolean): Promise<Message> {
  const path = `${messagePath(message)}/reactions/${encodeURIComponent(rgiEmoji(emoji))}`;
  return (await api<MessageResponse>(path, { method: on ? 'PUT' : 'DELETE' })).message;
}

export function postSeen(conversationId: number, upToMessageId: number): Promise<SeenResponse> {
  return api<SeenResponse>(`/conversations/${conversationId}/seen`, { method: 'POST', body: { upToMessageId } });
}

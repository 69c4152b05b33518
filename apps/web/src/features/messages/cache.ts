import type { Message } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { fetchOlder, type MessageWindow, messagesQuery, typingQuery } from './api.ts';
import { upsertMessages, windowWithSeen } from './window-events.ts';

/**
 * REST answers are messages as the server has them now: shown at once. The window's `seq` does not
 * move, so each change's own event is still applied when it comes (payloads are states: nothing twice).
 */

/** My message, as the answer to its POST: added to the history. */
export function showSentMessage(queryClient: QueryClient, message: Message): void {
  queryClient.setQueryData(messagesQuery(message.conversationId).queryKey, (window) =>
    window ? { ...window, messages: upsertMessages(window.messages, [message]) } : window,
  );
}

/** An edited, deleted or reacted-to message: the copy held, and the replies to it, follow. */
export function showAnswer(queryClient: QueryClient, message: Message): void {
  queryClient.setQueryData(messagesQuery(message.conversationId).queryKey, (window) => {
    if (!window) return window;
    const held = window.messages.some((m) => m.id === message.id);
    // An original older than the window only refreshes its replies: inserting it would leave a hole.
    const messages = held
      ? upsertMessages(window.messages, [message])
      : upsertMessages(window.messages, [message]).filter((m) => m.id !== message.id);
    return { ...window, messages };
  });
}

export async function loadOlder(queryClient: QueryClient, conversationId: number): Promise<void> {
  const key = messagesQuery(conversationId).queryKey;
  const oldest = queryClient.getQueryData(key)?.messages[0];
  if (!oldest) return;
  const page = await fetchOlder(conversationId, oldest.id);
  queryClient.setQueryData(key, (window): MessageWindow | undefined =>
    window ? { ...window, messages: upsertMessages(page.messages, window.messages), hasOlder: page.hasMore } : window,
  );
}

/** The answer to our own POST …/seen (its `message:seen`, with the seq, follows): receipts shown at once. */
export function showOwnSeen(
  queryClient: QueryClient,
  seen: { conversationId: number; userId: number; messageIds: number[]; seenAt: string },
): void {
  queryClient.setQueryData(messagesQuery(seen.conversationId).queryKey, (window) =>
    window ? windowWithSeen(window, seen) : window,
  );
}

const TYPING_TTL_MS = 4_000;

export function setTyping(queryClient: QueryClient, conversationId: number, userId: number): void {
  const key = typingQuery(conversationId).queryKey;
  const expiresAt = Date.now() + TYPING_TTL_MS;
  queryClient.setQueryData(key, (entries = []) => [
    ...entries.filter((entry) => entry.userId !== userId),
    { userId, expiresAt },
  ]);
  window.setTimeout(() => {
    queryClient.setQueryData(key, (entries = []) => entries.filter((entry) => entry.expiresAt > Date.now()));
  }, TYPING_TTL_MS + 50);
}

export function clearTyping(queryClient: QueryClient, conversationId: number, userId: number): void {
  const key = typingQuery(conversationId).queryKey;
  if (!queryClient.getQueryData(key)?.some((entry) => entry.userId === userId)) return;
  queryClient.setQueryData(key, (entries = []) => entries.filter((entry) => entry.userId !== userId));
}

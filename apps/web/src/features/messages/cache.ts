import type { Message, MessageSeenEvent } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { fetchNewer, fetchNewest, fetchOlder, type MessageWindow, messagesQuery, typingQuery } from './api.ts';

function mergeSeen(a: Message['seenBy'], b: Message['seenBy']): Message['seenBy'] {
  if (b.length === 0) return a;
  const byUser = new Map(a.map((entry) => [entry.userId, entry]));
  for (const entry of b) if (!byUser.has(entry.userId)) byUser.set(entry.userId, entry);
  return byUser.size === a.length ? a : [...byUser.values()];
}

/** Place messages by id and keep each once; receipts already known are kept. */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return current;
  const last = current.at(-1);
  const first = incoming[0];
  // The common case, one new message after everything we hold, stays O(1).
  if (incoming.length === 1 && first && (!last || first.id > last.id)) return [...current, first];
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of incoming) {
    const known = byId.get(message.id);
    byId.set(message.id, known ? { ...message, seenBy: mergeSeen(known.seenBy, message.seenBy) } : message);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

function lastContiguous(messages: Message[]): Message | undefined {
  let last = messages[0];
  for (let i = 1; i < messages.length; i++) {
    const message = messages[i];
    if (!message || !last || message.seq !== last.seq + 1) break;
    last = message;
  }
  return last;
}

/**
 * The id after which history has holes: the last message reached from the oldest one held without a
 * gap in `seq` (0 when even the start is missing). Catch-ups fetch `after=` this id.
 */
export function catchUpPoint(window: MessageWindow): number {
  const first = window.messages[0];
  if (!first || (!window.hasOlder && first.seq !== 1)) return 0;
  return lastContiguous(window.messages)?.id ?? 0;
}

function hasGap(window: MessageWindow): boolean {
  const last = window.messages.at(-1);
  return last !== undefined && catchUpPoint(window) !== last.id;
}

/**
 * Adds messages to a conversation's window if it is loaded. Returns true when a `seq` gap shows that
 * something was missed, so the caller catches up.
 */
export function addMessages(queryClient: QueryClient, conversationId: number, incoming: Message[]): boolean {
  const key = messagesQuery(conversationId).queryKey;
  const window = queryClient.getQueryData(key);
  if (!window) return false;
  const messages = mergeMessages(window.messages, incoming);
  const next = messages === window.messages ? window : { ...window, messages };
  if (next !== window) queryClient.setQueryData(key, next);
  return hasGap(next);
}

const catchUps = new Map<number, Promise<void>>();

/** Fetches everything after the last contiguous message, page by page (`after=`, while hasMore). */
export function catchUp(queryClient: QueryClient, conversationId: number): Promise<void> {
  const running = catchUps.get(conversationId);
  if (running) return running.then(() => catchUp(queryClient, conversationId));
  const task = (async () => {
    for (let page = 0; page < 100; page++) {
      const window = queryClient.getQueryData(messagesQuery(conversationId).queryKey);
      if (!window) return;
      const result = await fetchNewer(conversationId, catchUpPoint(window));
      const gap = addMessages(queryClient, conversationId, result.messages);
      if (!result.hasMore && !gap) return;
      if (result.messages.length === 0) return;
    }
  })().finally(() => catchUps.delete(conversationId));
  catchUps.set(conversationId, task);
  return task;
}

/**
 * Receipts given while we were disconnected are not in an `after=` catch-up (those messages are not
 * new); re-reading the newest page brings them for the conversation on screen.
 */
export async function refreshRecent(queryClient: QueryClient, conversationId: number): Promise<void> {
  if (!queryClient.getQueryData(messagesQuery(conversationId).queryKey)) return;
  const page = await fetchNewest(conversationId);
  addMessages(queryClient, conversationId, page.messages);
}

export async function loadOlder(queryClient: QueryClient, conversationId: number): Promise<void> {
  const key = messagesQuery(conversationId).queryKey;
  const oldest = queryClient.getQueryData(key)?.messages[0];
  if (!oldest) return;
  const page = await fetchOlder(conversationId, oldest.id);
  queryClient.setQueryData(key, (window): MessageWindow | undefined =>
    window ? { ...window, messages: mergeMessages(page.messages, window.messages), hasOlder: page.hasMore } : window,
  );
}

/** `message:seen` (or the answer to our own POST …/seen, which has no seq): record who saw which messages. */
export function applySeen(queryClient: QueryClient, event: Omit<MessageSeenEvent, 'seq'>): void {
  const key = messagesQuery(event.conversationId).queryKey;
  const ids = new Set(event.messageIds);
  queryClient.setQueryData(key, (window) => {
    if (!window) return window;
    let changed = false;
    const messages = window.messages.map((message) => {
      if (!ids.has(message.id) || message.sender.id === event.userId) return message;
      if (message.seenBy.some((entry) => entry.userId === event.userId)) return message;
      changed = true;
      return { ...message, seenBy: [...message.seenBy, { userId: event.userId, seenAt: event.seenAt }] };
    });
    return changed ? { ...window, messages } : window;
  });
}

export function loadedConversationIds(queryClient: QueryClient): number[] {
  return queryClient
    .getQueryCache()
    .findAll({ queryKey: ['messages'] })
    .filter((query) => query.state.data !== undefined)
    .map((query) => query.queryKey[1])
    .filter((id): id is number => typeof id === 'number');
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

import type { Message } from '@parley/contracts';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messagesQuery } from '../src/features/messages/api.ts';
import { addMessages, catchUp, catchUpPoint, mergeMessages } from '../src/features/messages/cache.ts';

const conversationId = 7;

function message(id: number, seq = id, seenBy: Message['seenBy'] = []): Message {
  return {
    id,
    conversationId,
    seq,
    kind: 'user',
    sender: { id: 1, nickname: 'Alice' },
    content: `message ${id}`,
    clientId: null,
    createdAt: new Date(2026, 0, 1, 12, 0, id).toISOString(),
    editedAt: null,
    deletedAt: null,
    replyTo: null,
    reactions: [],
    mentions: [],
    attachments: [],
    preview: null,
    system: null,
    seenBy,
  };
}

function clientWith(messages: Message[], hasOlder = false) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(messagesQuery(conversationId).queryKey, { messages, hasOlder, seq: 0 });
  return queryClient;
}

const held = (queryClient: QueryClient) =>
  queryClient.getQueryData(messagesQuery(conversationId).queryKey)?.messages.map((m) => m.id);

afterEach(() => vi.unstubAllGlobals());

describe('the message window', () => {
  it('places messages by id and keeps each once, with every receipt', () => {
    const seen = { userId: 2, seenAt: '2026-01-01T12:00:00.000Z' };
    const merged = mergeMessages([message(1), message(3)], [message(2), message(3, 3, [seen]), message(1)]);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(merged[2]?.seenBy).toEqual([seen]);
  });

  it('reports a gap when a message skips a seq, and finds where to catch up from', () => {
    const queryClient = clientWith([message(1), message(2)]);
    expect(addMessages(queryClient, conversationId, [message(3)])).toBe(false);
    expect(addMessages(queryClient, conversationId, [message(6, 6)])).toBe(true);
    const window = queryClient.getQueryData(messagesQuery(conversationId).queryKey);
    expect(window && catchUpPoint(window)).toBe(3);
  });

  it('treats a missing first message of a complete history as a gap from the start', () => {
    const queryClient = clientWith([]);
    expect(addMessages(queryClient, conversationId, [message(2, 2)])).toBe(true);
  });

  it('catches up with after= page by page until nothing is missing', async () => {
    const queryClient = clientWith([message(1), message(2), message(9, 9)]);
    const pages: Record<string, { messages: Message[]; hasMore: boolean }> = {
      '2': { messages: [message(3), message(4), message(5)], hasMore: true },
      '5': { messages: [message(6), message(7), message(8), message(9)], hasMore: false },
    };
    const fetch = vi.fn(async (url: string) => {
      const after = new URL(url, 'http://x').searchParams.get('after') ?? '';
      return new Response(JSON.stringify(pages[after]), { status: 200 });
    });
    vi.stubGlobal('fetch', fetch);
    await catchUp(queryClient, conversationId);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(held(queryClient)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

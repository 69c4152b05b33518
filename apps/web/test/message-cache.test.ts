import type { Message } from '@parley/contracts';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messagesQuery } from '../src/features/messages/api.ts';
import { loadThrough } from '../src/features/messages/load-through.ts';
import { upsertMessages } from '../src/features/messages/window-events.ts';
import { message as fixtureMessage } from './fixtures.ts';

const conversationId = 7;

const message = (id: number, seenBy: Message['seenBy'] = []) => fixtureMessage(id, { conversationId, seenBy });

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
    const merged = upsertMessages([message(1, [seen]), message(3)], [message(2), message(3, [seen]), message(1)]);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(merged[0]?.seenBy).toEqual([seen]);
    expect(merged[2]?.seenBy).toEqual([seen]);
  });

  it("loads the history back to a reply's original without leaving a hole", async () => {
    const queryClient = clientWith([message(300), message(301)], true);
    const pages: Record<string, object> = {
      'around=100': { messages: [message(99), message(100), message(101)], hasMore: true, hasMoreAfter: true },
      'after=101': { messages: [message(150), message(200)], hasMore: true },
      'after=200': { messages: [message(250), message(300)], hasMore: true },
    };
    const fetch = vi.fn(async (url: string) => {
      const query = new URL(url, 'http://x').searchParams;
      const key = [...query.entries()].find(([name]) => name !== 'limit')?.join('=') ?? '';
      return new Response(JSON.stringify(pages[key]), { status: 200 });
    });
    vi.stubGlobal('fetch', fetch);
    expect(await loadThrough(queryClient, conversationId, 100)).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(held(queryClient)).toEqual([99, 100, 101, 150, 200, 250, 300, 301]);
    expect(queryClient.getQueryData(messagesQuery(conversationId).queryKey)?.hasOlder).toBe(true);
  });
});

import type { Message } from '@parley/contracts';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type MessageWindow, messagesQuery, typingQuery } from '../src/features/messages/api.ts';
import {
  addMessages,
  applySeen,
  catchUpPoint,
  createCatchUp,
  loadedConversationIds,
  mergeMessages,
} from '../src/features/messages/cache.ts';
import { message } from './fixtures.ts';

const conversationId = 7;

function clientWith(messages: Message[], hasOlder = false) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(messagesQuery(conversationId).queryKey, { messages, hasOlder });
  return queryClient;
}

const windowOf = (queryClient: QueryClient) => queryClient.getQueryData(messagesQuery(conversationId).queryKey);
const held = (queryClient: QueryClient) => windowOf(queryClient)?.messages.map((m) => m.id);

/** `GET …/messages?after=` answers by the `after` id asked for; every URL asked is recorded in order. */
function stubPages(pages: Record<string, { messages: Message[]; hasMore: boolean }>) {
  const asked: string[] = [];
  const fetch = vi.fn(async (url: string) => {
    const after = new URL(url, 'http://x').searchParams.get('after') ?? '';
    asked.push(after);
    return new Response(JSON.stringify(pages[after]), { status: 200 });
  });
  vi.stubGlobal('fetch', fetch);
  return asked;
}

afterEach(() => vi.unstubAllGlobals());

describe('the message window', () => {
  it('places messages by id and keeps each once, with every receipt', () => {
    const seen = { userId: 2, seenAt: '2026-01-01T12:00:00.000Z' };
    const merged = mergeMessages([message(1), message(3)], [message(2), message(3, { seenBy: [seen] }), message(1)]);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(merged[2]?.seenBy).toEqual([seen]);
  });

  it('keeps receipts it already had when an older copy of a message comes back without them', () => {
    const seen = { userId: 2, seenAt: '2026-01-01T12:00:00.000Z' };
    const merged = mergeMessages([message(1, { seenBy: [seen] }), message(2)], [message(1)]);
    expect(merged[0]?.seenBy).toEqual([seen]);
  });

  it('appends the next message after everything held, and returns the same list when nothing comes', () => {
    const current = [message(1), message(2)];
    expect(mergeMessages(current, [message(3)]).map((m) => m.id)).toEqual([1, 2, 3]);
    expect(mergeMessages(current, [])).toBe(current);
  });

  it('reports a gap when a message skips a seq, and finds where to catch up from', () => {
    const queryClient = clientWith([message(1), message(2)]);
    expect(addMessages(queryClient, conversationId, [message(3)])).toBe(false);
    expect(addMessages(queryClient, conversationId, [message(6)])).toBe(true);
    const window = windowOf(queryClient);
    expect(window && catchUpPoint(window)).toBe(3);
  });

  it('treats a missing first message of a complete history as a gap from the start', () => {
    const queryClient = clientWith([]);
    expect(addMessages(queryClient, conversationId, [message(2)])).toBe(true);
  });

  it('catches up from the last contiguous message of a window whose older pages are not loaded', () => {
    const window: MessageWindow = { messages: [message(50), message(51), message(53)], hasOlder: true };
    expect(catchUpPoint(window)).toBe(51);
    expect(catchUpPoint({ messages: [message(2), message(3)], hasOlder: false })).toBe(0);
    expect(catchUpPoint({ messages: [], hasOlder: false })).toBe(0);
  });

  it('adds nothing to a conversation whose history is not loaded', () => {
    const queryClient = new QueryClient();
    expect(addMessages(queryClient, conversationId, [message(1)])).toBe(false);
    expect(windowOf(queryClient)).toBeUndefined();
  });

  it('lists the conversations whose history is loaded, and only those', () => {
    const queryClient = clientWith([message(1)]);
    queryClient.setQueryData(messagesQuery(9).queryKey, { messages: [], hasOlder: false });
    queryClient.setQueryData(typingQuery(11).queryKey, []);
    // Asked for but not answered yet (or failed): nothing to catch up.
    queryClient.getQueryCache().build(queryClient, { queryKey: messagesQuery(12).queryKey });
    expect(loadedConversationIds(queryClient).sort()).toEqual([7, 9]);
  });
});

describe('receipts', () => {
  const seenAt = '2026-01-01T12:30:00.000Z';
  const bobsMessage = (id: number) => message(id, { sender: { id: 2, nickname: 'Bob' } });

  it("records who saw which messages, never on the viewer's own", () => {
    const queryClient = clientWith([message(1), message(2), bobsMessage(3)]);
    applySeen(queryClient, { conversationId, userId: 2, messageIds: [1, 3], seenAt });
    const [first, second, third] = windowOf(queryClient)?.messages ?? [];
    expect(first?.seenBy).toEqual([{ userId: 2, seenAt }]);
    expect(second?.seenBy).toEqual([]);
    expect(third?.seenBy).toEqual([]);
  });

  it('keeps the first time a person saw a message, and changes nothing when the receipt is known', () => {
    const earlier = '2026-01-01T12:10:00.000Z';
    const queryClient = clientWith([message(1, { seenBy: [{ userId: 2, seenAt: earlier }] })]);
    const before = windowOf(queryClient);
    applySeen(queryClient, { conversationId, userId: 2, messageIds: [1], seenAt });
    expect(windowOf(queryClient)).toBe(before);
    expect(windowOf(queryClient)?.messages[0]?.seenBy).toEqual([{ userId: 2, seenAt: earlier }]);
  });

  it('leaves a conversation that is not loaded alone', () => {
    const queryClient = new QueryClient();
    applySeen(queryClient, { conversationId, userId: 2, messageIds: [1], seenAt });
    expect(windowOf(queryClient)).toBeUndefined();
  });
});

describe('catching up', () => {
  it('fetches with after= page by page until nothing is missing', async () => {
    const queryClient = clientWith([message(1), message(2), message(9)]);
    const asked = stubPages({
      '2': { messages: [message(3), message(4), message(5)], hasMore: true },
      '5': { messages: [message(6), message(7), message(8), message(9)], hasMore: false },
    });
    await createCatchUp(queryClient)(conversationId);
    expect(asked).toEqual(['2', '5']);
    expect(held(queryClient)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('runs one catch-up per conversation at a time: a second waits, then starts where the first ended', async () => {
    const queryClient = clientWith([message(1), message(2), message(9)]);
    let release!: () => void;
    const firstAnswered = new Promise<void>((resolve) => {
      release = resolve;
    });
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        const after = new URL(url, 'http://x').searchParams.get('after') ?? '';
        asked.push(after);
        if (after === '2') {
          await firstAnswered;
          return new Response(
            JSON.stringify({ messages: [3, 4, 5, 6, 7, 8].map((id) => message(id)), hasMore: false }),
          );
        }
        return new Response(JSON.stringify({ messages: [message(10)], hasMore: false }));
      }),
    );
    const catchUp = createCatchUp(queryClient);
    const first = catchUp(conversationId);
    const second = catchUp(conversationId);
    await vi.waitFor(() => expect(asked).toEqual(['2']));
    release();
    await Promise.all([first, second]);
    expect(asked).toEqual(['2', '9']);
    expect(held(queryClient)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

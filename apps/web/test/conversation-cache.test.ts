import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { showSentInList, upsertConversation } from '../src/features/conversations/cache.ts';
import { conversationQuery, conversationsQuery } from '../src/features/conversations/queries.ts';
import { at, conversation, message } from './fixtures.ts';

function clientWith(...conversations: ReturnType<typeof conversation>[]) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(conversationsQuery().queryKey, conversations);
  return queryClient;
}

const sidebar = (queryClient: QueryClient) => queryClient.getQueryData(conversationsQuery().queryKey);
const order = (queryClient: QueryClient) => sidebar(queryClient)?.map((c) => c.id);
const inSidebar = (queryClient: QueryClient, id: number) => sidebar(queryClient)?.find((c) => c.id === id);

describe('the conversation list', () => {
  it('puts a new conversation where its last activity places it, and caches its detail', () => {
    const queryClient = clientWith(
      conversation(1, { lastActivityAt: at(5) }),
      conversation(2, { lastActivityAt: at(1) }),
    );
    const created = conversation(3, { lastActivityAt: at(3) });
    upsertConversation(queryClient, created);
    expect(order(queryClient)).toEqual([1, 3, 2]);
    expect(queryClient.getQueryData(conversationQuery(3).queryKey)).toEqual(created);
  });

  it('keeps the newer of two copies by seq, in the sidebar and in the detail', () => {
    const queryClient = clientWith(
      conversation(1, { lastActivityAt: at(5) }),
      conversation(2, { lastActivityAt: at(1), seq: 4 }),
    );
    upsertConversation(queryClient, conversation(2, { title: 'Renamed', lastActivityAt: at(1), seq: 5 }));
    expect(order(queryClient)).toEqual([1, 2]);
    expect(inSidebar(queryClient, 2)).toMatchObject({ title: 'Renamed', seq: 5 });
    expect(queryClient.getQueryData(conversationQuery(2).queryKey)?.title).toBe('Renamed');
    // A REST answer that predates events already applied (a rename racing a message) changes nothing.
    upsertConversation(queryClient, conversation(2, { title: 'Older', seq: 3 }));
    expect(inSidebar(queryClient, 2)?.title).toBe('Renamed');
    expect(queryClient.getQueryData(conversationQuery(2).queryKey)?.title).toBe('Renamed');
  });

  it('leaves a sidebar that is not loaded alone, so its first load is not replaced by one entry', () => {
    const queryClient = new QueryClient();
    upsertConversation(queryClient, conversation(1));
    expect(sidebar(queryClient)).toBeUndefined();
    expect(queryClient.getQueryData(conversationQuery(1).queryKey)?.id).toBe(1);
  });
});

describe('my sent message in the list', () => {
  it('moves its conversation to the top with the new preview, counting nothing and leaving seq alone', () => {
    const queryClient = clientWith(
      conversation(1, { lastActivityAt: at(5) }),
      conversation(2, { lastActivityAt: at(1), seq: 3, unreadCount: 1 }),
    );
    const mine = message(4, { conversationId: 2, createdAt: at(6) });
    showSentInList(queryClient, mine);
    expect(order(queryClient)).toEqual([2, 1]);
    expect(inSidebar(queryClient, 2)).toMatchObject({
      lastMessage: mine,
      lastActivityAt: at(6),
      unreadCount: 1,
      seq: 3,
    });
  });

  it('changes nothing for a message older than the preview, or before the sidebar is loaded', () => {
    const latest = message(8, { conversationId: 1 });
    const queryClient = clientWith(conversation(1, { lastMessage: latest }));
    const before = sidebar(queryClient);
    showSentInList(queryClient, message(6, { conversationId: 1 }));
    expect(sidebar(queryClient)).toBe(before);
    const empty = new QueryClient();
    showSentInList(empty, message(4, { conversationId: 1 }));
    expect(sidebar(empty)).toBeUndefined();
  });
});

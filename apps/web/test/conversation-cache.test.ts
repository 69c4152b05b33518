import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { applyMessageToList, reduceUnread, upsertConversation } from '../src/features/conversations/cache.ts';
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

  it('replaces a renamed conversation in place, in the sidebar and in its detail', () => {
    const queryClient = clientWith(
      conversation(1, { lastActivityAt: at(5) }),
      conversation(2, { lastActivityAt: at(1) }),
    );
    const last = message(9, { conversationId: 2 });
    queryClient.setQueryData(conversationQuery(2).queryKey, conversation(2, { lastMessage: last }));
    upsertConversation(queryClient, conversation(2, { title: 'Renamed', lastActivityAt: at(1) }));
    expect(order(queryClient)).toEqual([1, 2]);
    expect(inSidebar(queryClient, 2)?.title).toBe('Renamed');
    // The detail keeps the preview it had: the rename's copy carries none.
    expect(queryClient.getQueryData(conversationQuery(2).queryKey)).toMatchObject({
      title: 'Renamed',
      lastMessage: last,
    });
  });

  it('keeps what events already taught when a copy is older than them (a rename racing a message)', () => {
    const newer = message(5, { conversationId: 1 });
    const queryClient = clientWith(conversation(1, { lastMessage: newer, lastActivityAt: at(9), unreadCount: 2 }));
    upsertConversation(
      queryClient,
      conversation(1, { title: 'Renamed', lastMessage: message(3, { conversationId: 1 }), lastActivityAt: at(4) }),
    );
    expect(inSidebar(queryClient, 1)).toMatchObject({
      title: 'Renamed',
      lastMessage: newer,
      lastActivityAt: at(9),
      unreadCount: 2,
    });
  });

  it('leaves a sidebar that is not loaded alone, so its first load is not replaced by one entry', () => {
    const queryClient = new QueryClient();
    upsertConversation(queryClient, conversation(1));
    expect(sidebar(queryClient)).toBeUndefined();
    expect(queryClient.getQueryData(conversationQuery(1).queryKey)?.id).toBe(1);
  });
});

describe('a new message in the list', () => {
  it('moves its conversation to the top with the new preview and, when counted, one more unread', () => {
    const queryClient = clientWith(
      conversation(1, { lastActivityAt: at(5) }),
      conversation(2, { lastActivityAt: at(1) }),
    );
    const incoming = message(4, { conversationId: 2, createdAt: at(6) });
    expect(applyMessageToList(queryClient, incoming, true)).toBe(true);
    expect(order(queryClient)).toEqual([2, 1]);
    expect(inSidebar(queryClient, 2)).toMatchObject({ lastMessage: incoming, lastActivityAt: at(6), unreadCount: 1 });
  });

  it('adds no unread for a message that is read as it arrives, or is my own', () => {
    const queryClient = clientWith(conversation(1, { unreadCount: 3 }));
    applyMessageToList(queryClient, message(4, { conversationId: 1 }), false);
    expect(inSidebar(queryClient, 1)?.unreadCount).toBe(3);
  });

  it('changes nothing for a message older than the preview or already applied (REST and socket race)', () => {
    const latest = message(8, { conversationId: 1 });
    const queryClient = clientWith(conversation(2), conversation(1, { lastMessage: latest, unreadCount: 1 }));
    const before = sidebar(queryClient);
    expect(applyMessageToList(queryClient, message(8, { conversationId: 1 }), true)).toBe(true);
    expect(applyMessageToList(queryClient, message(6, { conversationId: 1 }), true)).toBe(true);
    expect(sidebar(queryClient)).toBe(before);
  });

  it('keeps the later activity time when the message is older than the last activity (a rename after it)', () => {
    const queryClient = clientWith(conversation(1, { lastActivityAt: at(10) }));
    applyMessageToList(queryClient, message(4, { conversationId: 1, createdAt: at(2) }), true);
    expect(inSidebar(queryClient, 1)?.lastActivityAt).toBe(at(10));
  });

  it('says when its conversation is missing from the sidebar (a missed conversation:new), so it is reloaded', () => {
    const queryClient = clientWith(conversation(1));
    expect(applyMessageToList(queryClient, message(4, { conversationId: 99 }), true)).toBe(false);
    expect(order(queryClient)).toEqual([1]);
  });

  it('has nothing to patch before the sidebar is loaded', () => {
    const queryClient = new QueryClient();
    expect(applyMessageToList(queryClient, message(4, { conversationId: 1 }), true)).toBe(true);
    expect(sidebar(queryClient)).toBeUndefined();
  });
});

describe('taking unread messages off', () => {
  it('lowers only that conversation, never below zero', () => {
    const queryClient = clientWith(conversation(1, { unreadCount: 3 }), conversation(2, { unreadCount: 2 }));
    reduceUnread(queryClient, 1, 2);
    expect(inSidebar(queryClient, 1)?.unreadCount).toBe(1);
    reduceUnread(queryClient, 1, 5);
    expect(inSidebar(queryClient, 1)?.unreadCount).toBe(0);
    expect(inSidebar(queryClient, 2)?.unreadCount).toBe(2);
  });

  it('leaves the list untouched when nothing was counted', () => {
    const queryClient = clientWith(conversation(1, { unreadCount: 3 }));
    const before = sidebar(queryClient);
    reduceUnread(queryClient, 1, 0);
    expect(sidebar(queryClient)).toBe(before);
  });
});

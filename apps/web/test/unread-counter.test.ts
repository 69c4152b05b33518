import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { conversationsQuery } from '../src/features/conversations/queries.ts';
import { createUnreadCounter } from '../src/features/conversations/unread.ts';
import { conversation, message } from './fixtures.ts';

function setUp(unreadCount: number) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(conversationsQuery().queryKey, [conversation(1, { unreadCount })]);
  const unread = createUnreadCounter(queryClient);
  const count = () => queryClient.getQueryData(conversationsQuery().queryKey)?.[0]?.unreadCount;
  return { unread, count };
}

describe('unread bookkeeping from socket events', () => {
  it('counts a message that arrives unread, and takes it off when I see it', () => {
    const { unread, count } = setUp(0);
    unread.arrived(message(10, { conversationId: 1 }), false);
    unread.arrived(message(11, { conversationId: 1 }), false);
    expect(count()).toBe(2);
    unread.seen(1, [10, 11]);
    expect(count()).toBe(0);
  });

  it('does not count a message read as it arrives, so seeing it takes nothing else off', () => {
    // Two unread from the last load of the list, then one that arrives while the conversation is read.
    const { unread, count } = setUp(2);
    unread.arrived(message(10, { conversationId: 1 }), true);
    expect(count()).toBe(2);
    unread.seen(1, [10]);
    expect(count()).toBe(2);
  });

  it('takes off only the counted ones when a receipt covers both kinds', () => {
    const { unread, count } = setUp(1);
    unread.arrived(message(10, { conversationId: 1 }), false);
    unread.arrived(message(11, { conversationId: 1 }), true);
    expect(count()).toBe(2);
    unread.seen(1, [10, 11]);
    expect(count()).toBe(1);
  });

  it('says when the conversation is not in the sidebar, so the caller reloads it', () => {
    const { unread } = setUp(0);
    expect(unread.arrived(message(10, { conversationId: 2 }), false)).toBe(false);
    expect(unread.arrived(message(11, { conversationId: 1 }), false)).toBe(true);
  });

  it('never counts a system entry, and counts a mention of me in unreadMentionCount', () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(conversationsQuery().queryKey, [
      conversation(1, { unreadCount: 0, unreadMentionCount: 0 }),
    ]);
    const unread = createUnreadCounter(queryClient, 2);
    const entry = { action: 'members_added' as const, userIds: [3], title: null };
    unread.arrived(message(10, { conversationId: 1, kind: 'system', content: '', system: entry }), false);
    unread.arrived(message(11, { conversationId: 1, mentions: [2] }), false);
    unread.arrived(message(12, { conversationId: 1, mentions: [3] }), false);
    const [c] = queryClient.getQueryData(conversationsQuery().queryKey) ?? [];
    expect({ unread: c?.unreadCount, mentions: c?.unreadMentionCount }).toEqual({ unread: 2, mentions: 1 });
    // Seeing everything clears both.
    unread.seen(1, [11, 12]);
    const [after] = queryClient.getQueryData(conversationsQuery().queryKey) ?? [];
    expect({ unread: after?.unreadCount, mentions: after?.unreadMentionCount }).toEqual({ unread: 0, mentions: 0 });
  });
});

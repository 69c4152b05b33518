import type { Conversation, ConversationEvent, EventsResponse, Message } from '@parley/contracts';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { conversationQuery, conversationsQuery, setConversationMuted } from '../src/features/conversations/index.ts';
import { type MessageWindow, messagesQuery } from '../src/features/messages/api.ts';
import { showAnswer, showSentMessage } from '../src/features/messages/cache.ts';
import { applyEvent, createConversationSync } from '../src/features/messages/sync.ts';
import { at, conversation as fixtureConversation, message as fixtureMessage } from './fixtures.ts';

const ME = 1;
const ALICE = { id: 2, nickname: 'Alice' };
const BOB = { id: ME, nickname: 'Bob' };
const C = 7;

// The shared fixtures, with the seq given apart from the id: message seqs have gaps where other changes took numbers.
const message = (id: number, seq: number, overrides: Partial<Message> = {}) =>
  fixtureMessage(id, { conversationId: C, seq, sender: ALICE, createdAt: at(0, seq), ...overrides });
const conversation = (id: number, seq: number, overrides: Partial<Conversation> = {}) =>
  fixtureConversation(id, { seq, ownerId: ALICE.id, customTitle: null, lastActivityAt: at(0), ...overrides });

const created = (m: Message): ConversationEvent => ({ type: 'message:new', payload: m });
const updated = (seq: number, m: Message): ConversationEvent => ({
  type: 'message:updated',
  payload: { conversationId: C, seq, message: m },
});
const seen = (seq: number, userId: number, messageIds: number[]): ConversationEvent => ({
  type: 'message:seen',
  payload: { conversationId: C, seq, userId, messageIds, seenAt: '2026-01-01T13:00:00.000Z' },
});
const convUpdated = (seq: number, c: Conversation): ConversationEvent => ({
  type: 'conversation:updated',
  payload: { conversationId: C, seq, conversation: c },
});

function setup(window: Partial<MessageWindow> | null, summary: Conversation | null = conversation(C, 0)) {
  const queryClient = new QueryClient();
  if (summary) queryClient.setQueryData(conversationsQuery().queryKey, [summary]);
  if (window) {
    queryClient.setQueryData(messagesQuery(C).queryKey, {
      messages: [],
      hasOlder: false,
      seq: 0,
      ...window,
    });
  }
  return queryClient;
}

const windowOf = (queryClient: QueryClient) => queryClient.getQueryData(messagesQuery(C).queryKey);
const summaryOf = (queryClient: QueryClient) =>
  queryClient.getQueryData(conversationsQuery().queryKey)?.find((c) => c.id === C);
const ids = (queryClient: QueryClient) => windowOf(queryClient)?.messages.map((m) => m.id);

/** A server log: `events?after=` answers from it, `limit` per page. */
function serverLog(events: ConversationEvent[], limit = 500) {
  const fetchEvents = vi.fn(async (_conversationId: number, after: number): Promise<EventsResponse> => {
    const rest = events.filter((e) => e.payload.seq > after);
    const lastSeq = events.at(-1)?.payload.seq ?? 0;
    return { events: rest.slice(0, limit), lastSeq, hasMore: rest.length > limit };
  });
  return fetchEvents;
}

describe('applying one sequenced event', () => {
  it('applies the next event, drops one at or below what is held, and reports one further ahead as a gap', () => {
    const queryClient = setup({ messages: [message(10, 3)], seq: 3 }, conversation(C, 3));
    expect(applyEvent(queryClient, created(message(11, 4)), ME)).toBe('applied');
    expect(ids(queryClient)).toEqual([10, 11]);
    expect(summaryOf(queryClient)).toMatchObject({ seq: 4, unreadCount: 1, lastMessage: { id: 11 } });

    // The same event again (the REST answer and the socket race, or a replay): nothing changes.
    expect(applyEvent(queryClient, created(message(11, 4)), ME)).toBe('stale');
    expect(ids(queryClient)).toEqual([10, 11]);
    expect(summaryOf(queryClient)?.unreadCount).toBe(1);

    // seq 6 before seq 5: not applied, a gap.
    expect(applyEvent(queryClient, created(message(13, 6)), ME)).toBe('gap');
    expect(ids(queryClient)).toEqual([10, 11]);
    expect(windowOf(queryClient)?.seq).toBe(4);
    expect(summaryOf(queryClient)?.seq).toBe(4);
  });

  it('counts unread as the server does: +1 for a message of someone else, −1 per id of my own receipt', () => {
    const queryClient = setup(null, conversation(C, 0, { unreadCount: 2 }));
    applyEvent(queryClient, created(message(1, 1)), ME);
    applyEvent(queryClient, created(message(2, 2, { sender: BOB })), ME);
    applyEvent(queryClient, created(message(3, 3, { kind: 'system', content: '' })), ME);
    expect(summaryOf(queryClient)?.unreadCount).toBe(3);
    // Someone else's receipt changes nothing of mine.
    applyEvent(queryClient, seen(4, ALICE.id, [2]), ME);
    expect(summaryOf(queryClient)?.unreadCount).toBe(3);
    applyEvent(queryClient, seen(5, ME, [1]), ME);
    expect(summaryOf(queryClient)).toMatchObject({ seq: 5, unreadCount: 2 });
  });

  it('takes the server summary of a conversation:updated, current to its own seq', () => {
    const queryClient = setup({ seq: 4 }, conversation(C, 4, { unreadCount: 1 }));
    // A catch-up's payload is as now: the conversation is already at seq 7, with 3 unread.
    const now = conversation(C, 7, { title: 'Renamed', unreadCount: 3 });
    expect(applyEvent(queryClient, convUpdated(5, now), ME)).toBe('applied');
    expect(summaryOf(queryClient)).toMatchObject({ seq: 7, title: 'Renamed', unreadCount: 3 });
    expect(queryClient.getQueryData(conversationQuery(C).queryKey)?.title).toBe('Renamed');
    // Events 6 and 7 are in that summary already, but not in the history.
    applyEvent(queryClient, created(message(20, 6)), ME);
    applyEvent(queryClient, created(message(21, 7)), ME);
    expect(summaryOf(queryClient)?.unreadCount).toBe(3);
    expect(ids(queryClient)).toEqual([20, 21]);
  });

  it('shows an edit and a delete in the message and in every reply held to it', () => {
    const original = message(10, 1, { content: `${'é'.repeat(119)}👍 and more` });
    const reply = message(11, 2, {
      sender: BOB,
      replyTo: { id: 10, sender: ALICE, excerpt: 'old', deleted: false },
    });
    const queryClient = setup({ messages: [original, reply], seq: 2 }, conversation(C, 2));

    const edited = { ...original, content: `${'é'.repeat(119)}👍👍 edited`, editedAt: '2026-01-01T12:05:00.000Z' };
    applyEvent(queryClient, updated(3, edited), ME);
    const [m, r] = windowOf(queryClient)?.messages ?? [];
    expect(m?.editedAt).not.toBeNull();
    // 120 code points: the emoji at the cut stays whole.
    expect(r?.replyTo).toEqual({ id: 10, sender: ALICE, excerpt: `${'é'.repeat(119)}👍`, deleted: false });

    const tombstone = { ...edited, content: '', deletedAt: '2026-01-01T12:06:00.000Z', reactions: [] };
    applyEvent(queryClient, updated(4, tombstone), ME);
    expect(windowOf(queryClient)?.messages[0]?.deletedAt).not.toBeNull();
    expect(windowOf(queryClient)?.messages[1]?.replyTo).toEqual({ id: 10, sender: ALICE, excerpt: '', deleted: true });
  });

  it('updates a reply to an original older than the window without inserting the original', () => {
    const reply = message(50, 9, { replyTo: { id: 3, sender: ALICE, excerpt: 'first', deleted: false } });
    const queryClient = setup({ messages: [reply], hasOlder: true, seq: 9 }, conversation(C, 9));
    applyEvent(queryClient, updated(10, message(3, 1, { content: 'first, fixed' })), ME);
    expect(ids(queryClient)).toEqual([50]);
    expect(windowOf(queryClient)?.messages[0]?.replyTo?.excerpt).toBe('first, fixed');
  });

  it('records receipts once, and keeps them when a newer copy of the message arrives', () => {
    const queryClient = setup({ messages: [message(10, 1, { sender: BOB })], seq: 1 }, conversation(C, 1));
    applyEvent(queryClient, seen(2, ALICE.id, [10]), ME);
    applyEvent(queryClient, seen(2, ALICE.id, [10]), ME);
    expect(windowOf(queryClient)?.messages[0]?.seenBy).toHaveLength(1);
    // A reaction's payload that predates nothing: the receipt stays.
    const reacted = message(10, 1, { sender: BOB, reactions: [{ emoji: '👍', userIds: [ALICE.id] }] });
    applyEvent(queryClient, updated(3, reacted), ME);
    expect(windowOf(queryClient)?.messages[0]).toMatchObject({
      reactions: [{ emoji: '👍' }],
      seenBy: [{ userId: ALICE.id }],
    });
  });

  it('says when the conversation is not in the sidebar at all', () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(conversationsQuery().queryKey, [conversation(99, 0)]);
    expect(applyEvent(queryClient, created(message(1, 1)), ME)).toBe('unknown');
  });
});

describe('catching up', () => {
  it('fills a gap at once from the furthest behind of what is held, and then drops the late live event', async () => {
    const log = [
      created(message(11, 4)),
      created(message(12, 5)),
      updated(6, message(11, 4, { content: 'edited', editedAt: '2026-01-01T12:10:00.000Z' })),
    ];
    const fetchEvents = serverLog([seen(3, ALICE.id, []), ...log]);
    const queryClient = setup({ messages: [message(10, 2)], seq: 2 }, conversation(C, 3));
    const sync = createConversationSync(queryClient, { meId: ME, fetchEvents });

    // seq 6 arrives first: a gap, filled at once.
    expect(sync.receive(log[2] as ConversationEvent)).toBe('gap');
    await sync.catchUp(C);
    expect(fetchEvents).toHaveBeenCalledWith(C, 2);
    expect(ids(queryClient)).toEqual([10, 11, 12]);
    expect(windowOf(queryClient)?.messages[1]?.content).toBe('edited');
    expect(summaryOf(queryClient)).toMatchObject({ seq: 6, unreadCount: 2 });

    // The events that were in flight arrive late: nothing is applied twice.
    expect(sync.receive(log[0] as ConversationEvent)).toBe('stale');
    expect(sync.receive(log[1] as ConversationEvent)).toBe('stale');
    expect(summaryOf(queryClient)?.unreadCount).toBe(2);
    expect(ids(queryClient)).toEqual([10, 11, 12]);
  });

  it('reads every page, and runs once per conversation however many gaps are found meanwhile', async () => {
    const log: ConversationEvent[] = [];
    for (let seq = 1; seq <= 12; seq++) log.push(created(message(100 + seq, seq)));
    const fetchEvents = serverLog(log, 5);
    const queryClient = setup({ seq: 0 }, conversation(C, 0));
    const sync = createConversationSync(queryClient, { meId: ME, fetchEvents });
    const first = sync.catchUp(C);
    const second = sync.catchUp(C);
    await Promise.all([first, second]);
    expect(ids(queryClient)).toHaveLength(12);
    expect(summaryOf(queryClient)?.unreadCount).toBe(12);
    // Three pages (5 + 5 + 2), then one more round for the gap found while running, which finds nothing.
    expect(fetchEvents.mock.calls.map(([, after]) => after)).toEqual([0, 5, 10, 12]);
  });

  it('replays as-now payloads to the exact present: seen since, edited since, deleted since', async () => {
    // Bob was away from seq 2. Alice sent 2 messages, Bob read one on his phone, Alice edited and deleted.
    const first = message(11, 3, {
      content: 'edited',
      editedAt: '2026-01-01T12:10:00.000Z',
      seenBy: [{ userId: ME, seenAt: '2026-01-01T12:09:00.000Z' }],
    });
    const second = message(12, 4, { content: '', deletedAt: '2026-01-01T12:11:00.000Z' });
    const log = [created(first), created(second), seen(5, ME, [11]), updated(6, first), updated(7, second)];
    const queryClient = setup({ messages: [message(10, 2)], seq: 2 }, conversation(C, 2));
    const sync = createConversationSync(queryClient, { meId: ME, fetchEvents: serverLog(log) });
    await sync.catchUp(C);
    expect(windowOf(queryClient)?.messages.map((m) => [m.id, m.content, m.deletedAt !== null])).toEqual([
      [10, 'message 10', false],
      [11, 'edited', false],
      [12, '', true],
    ]);
    // A tombstone is still someone else's message of kind user, unread until seen; the one read on the phone is not.
    expect(summaryOf(queryClient)).toMatchObject({ seq: 7, unreadCount: 1, lastMessage: { id: 12 } });
  });

  it('after a reconnect takes the newer of each summary and catches up each history whose seq moved', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(conversationsQuery().queryKey, [
      conversation(C, 2, { unreadCount: 0 }),
      conversation(8, 4),
      conversation(9, 1),
    ]);
    const window = (seq: number, messages: Message[] = []) => ({ messages, hasOlder: false, seq });
    queryClient.setQueryData(messagesQuery(C).queryKey, window(2, [message(10, 2)]));
    queryClient.setQueryData(messagesQuery(8).queryKey, window(4));
    queryClient.setQueryData(messagesQuery(9).queryKey, window(1));
    const fetchEvents = serverLog([created(message(11, 3)), created(message(12, 4))]);
    const fetchConversations = vi.fn(async () => [
      conversation(C, 4, { unreadCount: 2, lastActivityAt: '2026-01-02T00:00:00.000Z' }),
      conversation(8, 4),
      // 9 is gone: Bob was removed while away.
    ]);
    const sync = createConversationSync(queryClient, { meId: ME, fetchEvents, fetchConversations });
    await sync.resync();
    expect(fetchEvents).toHaveBeenCalledTimes(1);
    expect(fetchEvents).toHaveBeenCalledWith(C, 2);
    expect(ids(queryClient)).toEqual([10, 11, 12]);
    // The list's count is the server's; replaying into the history did not add to it.
    expect(summaryOf(queryClient)).toMatchObject({ seq: 4, unreadCount: 2 });
    expect(queryClient.getQueryData(conversationsQuery().queryKey)?.map((c) => c.id)).toEqual([C, 8]);
    expect(queryClient.getQueryData(messagesQuery(9).queryKey)).toBeUndefined();
  });

  it('lands after a list fetch already under way, so the older answer cannot replace the newer', async () => {
    const queryClient = new QueryClient();
    let answerFirst: ((list: Conversation[]) => void) | undefined;
    // The page's own list fetch, which read the server before the socket was in its rooms.
    const first = queryClient.fetchQuery({
      ...conversationsQuery(),
      queryFn: () =>
        new Promise<Conversation[]>((resolve) => {
          answerFirst = resolve;
        }),
    });
    await vi.waitFor(() => expect(answerFirst).toBeTypeOf('function'));
    const fetchConversations = vi.fn(async () => [conversation(C, 3, { unreadCount: 0 })]);
    const sync = createConversationSync(queryClient, { meId: ME, fetchEvents: serverLog([]), fetchConversations });
    const resynced = sync.resync();
    await Promise.resolve();
    expect(fetchConversations).not.toHaveBeenCalled();
    answerFirst?.([conversation(C, 2, { unreadCount: 2 })]);
    await first;
    await resynced;
    expect(fetchConversations).toHaveBeenCalledTimes(1);
    expect(summaryOf(queryClient)).toMatchObject({ seq: 3, unreadCount: 0 });
  });

  it('keeps a mute made while its list was in flight: a summary fetched before has the same seq', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(conversationsQuery().queryKey, [conversation(C, 2, { muted: false })]);
    queryClient.setQueryData(conversationQuery(C).queryKey, conversation(C, 2, { muted: false }));
    let answer: ((list: Conversation[]) => void) | undefined;
    const fetchConversations = () =>
      new Promise<Conversation[]>((resolve) => {
        answer = resolve;
      });
    const sync = createConversationSync(queryClient, { meId: ME, fetchEvents: serverLog([]), fetchConversations });
    const resynced = sync.resync();
    // The page load's resync has asked; I mute before the server answers it.
    await vi.waitFor(() => expect(answer).toBeTypeOf('function'));
    setConversationMuted(queryClient, C, true);
    answer?.([conversation(C, 2, { muted: false })]);
    await resynced;
    expect(queryClient.getQueryData(conversationsQuery().queryKey)?.[0]?.muted).toBe(true);
    expect(queryClient.getQueryData(conversationQuery(C).queryKey)?.muted).toBe(true);
    // A list asked for after the change says what the server has now.
    const later = createConversationSync(queryClient, {
      meId: ME,
      fetchEvents: serverLog([]),
      fetchConversations: async () => [conversation(C, 2, { muted: false })],
    });
    await later.resync();
    expect(queryClient.getQueryData(conversationsQuery().queryKey)?.[0]?.muted).toBe(false);
  });

  it('reloads the sidebar for an event of a conversation it does not list (a missed conversation:new)', () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(conversationsQuery().queryKey, [conversation(99, 0)]);
    const onUnknown = vi.fn();
    const sync = createConversationSync(queryClient, { meId: ME, onUnknown, fetchEvents: serverLog([]) });
    sync.receive(created(message(1, 1)));
    expect(onUnknown).toHaveBeenCalledWith(C);
  });
});

describe('REST answers', () => {
  it("show at once without moving the seq, so the change's own event still applies, once", () => {
    const original = message(10, 1, { sender: BOB });
    const queryClient = setup({ messages: [original], seq: 1 }, conversation(C, 1));
    const mine = message(11, 2, { sender: BOB, clientId: 'c1' });
    showSentMessage(queryClient, mine);
    const edited = { ...original, content: 'fixed', editedAt: '2026-01-01T12:30:00.000Z' };
    showAnswer(queryClient, edited);
    expect(windowOf(queryClient)).toMatchObject({ seq: 1, messages: [{ content: 'fixed' }, { id: 11 }] });
    expect(applyEvent(queryClient, created(mine), ME)).toBe('applied');
    expect(applyEvent(queryClient, updated(3, edited), ME)).toBe('applied');
    expect(ids(queryClient)).toEqual([10, 11]);
    // My own message never counts as unread.
    expect(summaryOf(queryClient)).toMatchObject({ seq: 3, unreadCount: 0 });
  });

  it('refresh the replies to an original older than the history without inserting it', () => {
    const reply = message(50, 9, { replyTo: { id: 3, sender: ALICE, excerpt: 'old', deleted: false } });
    const queryClient = setup({ messages: [reply], hasOlder: true, seq: 9 }, conversation(C, 9));
    showAnswer(queryClient, message(3, 1, { content: '', deletedAt: '2026-01-01T12:30:00.000Z' }));
    expect(ids(queryClient)).toEqual([50]);
    expect(windowOf(queryClient)?.messages[0]?.replyTo).toMatchObject({ excerpt: '', deleted: true });
  });
});

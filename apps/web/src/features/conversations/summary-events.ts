import type { Conversation, ConversationEvent, Message } from '@parley/contracts';

/** Others' messages of kind `user`: what the server counts as unread until the caller sees them. */
function countsAsUnread(message: Message, meId: number): boolean {
  return message.kind === 'user' && message.sender.id !== meId;
}

function later(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * The event due next (`seq` = the summary's `seq` + 1) applied to a conversation's summary as the
 * caller sees it (the sidebar's entry). The unread count stays the server's: the summary starts
 * from the server's count at its `seq`, and each change moves it exactly as the server did:
 * - `message:new` from someone else: +1, since the server counts every such message until it is seen
 *   (a payload of a catch-up may already list the caller in `seenBy`; the `message:seen` that marked it
 *   is later in the sequence and takes it off again);
 * - the caller's own `message:seen`: −1 for each id, since `messageIds` are exactly the messages that
 *   receipt newly marked, all of them counted;
 * - `conversation:updated`: the server's whole summary, current to its own `seq`, replaces ours.
 * `held` gives the messages loaded on screen, which tell which seen messages mentioned the caller.
 */
export function applyToSummary(
  conversation: Conversation,
  event: ConversationEvent,
  meId: number,
  held: (messageId: number) => Message | undefined = () => undefined,
): Conversation {
  switch (event.type) {
    case 'conversation:updated': {
      // Current to its own `seq`, which a catch-up's "as now" payload puts past the event's.
      const next = event.payload.conversation;
      return { ...next, seq: Math.max(next.seq, event.payload.seq) };
    }
    case 'message:new': {
      const message = event.payload;
      const unread = countsAsUnread(message, meId);
      const newer = !conversation.lastMessage || message.id > conversation.lastMessage.id;
      return {
        ...conversation,
        seq: event.payload.seq,
        lastMessage: newer ? message : conversation.lastMessage,
        lastActivityAt: later(conversation.lastActivityAt, message.createdAt),
        unreadCount: conversation.unreadCount + (unread ? 1 : 0),
        unreadMentionCount: conversation.unreadMentionCount + (unread && message.mentions.includes(meId) ? 1 : 0),
      };
    }
    case 'message:updated': {
      const { message } = event.payload;
      const last = conversation.lastMessage?.id === message.id ? message : conversation.lastMessage;
      return { ...conversation, seq: event.payload.seq, lastMessage: last };
    }
    case 'message:seen': {
      const { userId, messageIds, seenAt } = event.payload;
      const last = conversation.lastMessage;
      const lastMessage =
        last && messageIds.includes(last.id) && !last.seenBy.some((entry) => entry.userId === userId)
          ? { ...last, seenBy: [...last.seenBy, { userId, seenAt }] }
          : last;
      if (userId !== meId) return { ...conversation, seq: event.payload.seq, lastMessage };
      const unreadCount = Math.max(0, conversation.unreadCount - messageIds.length);
      const mentioned = messageIds.filter((id) => held(id)?.mentions.includes(meId)).length;
      // Mentions of messages not on screen are not known here; the count can never exceed the unread.
      const unreadMentionCount = Math.min(unreadCount, Math.max(0, conversation.unreadMentionCount - mentioned));
      return { ...conversation, seq: event.payload.seq, lastMessage, unreadCount, unreadMentionCount };
    }
  }
}

function byActivity(a: Conversation, b: Conversation): number {
  return b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id - a.id;
}

/** The sidebar's order: newest activity first. */
export function sortByActivity(list: Conversation[]): Conversation[] {
  return [...list].sort(byActivity);
}

/**
 * A list fetched again (after a reconnect) merged into the one held: each summary is current to its own
 * `seq`, so the newer of the two copies wins; one the server no longer lists is gone.
 */
export function mergeSummaries(held: Conversation[] | undefined, fetched: Conversation[]): Conversation[] {
  if (!held) return fetched;
  const byId = new Map(held.map((conversation) => [conversation.id, conversation]));
  return sortByActivity(
    fetched.map((conversation) => {
      const mine = byId.get(conversation.id);
      return mine && mine.seq > conversation.seq ? mine : conversation;
    }),
  );
}

import { type Conversation, type ConversationEvent, LIMITS, type Message, type ReplyRef } from '@parley/contracts';

/** What a client holds of one conversation: its summary and the messages it has loaded, by id. */
export interface Snapshot {
  /** Whose view this is: unread counts are theirs. */
  userId: number;
  conversation: Conversation;
  messages: Message[];
}

/** The quote of `original` in a reply, by the rule of ReplyRef (API.md, Shapes). */
export function replyRefOf(original: Message): ReplyRef {
  return {
    id: original.id,
    sender: original.sender,
    excerpt: Array.from(original.content).slice(0, LIMITS.excerptMax).join(''),
    deleted: original.deletedAt !== null,
  };
}

const bySeenOrder = (a: Message['seenBy'][number], b: Message['seenBy'][number]) =>
  a.seenAt < b.seenAt ? -1 : a.seenAt > b.seenAt ? 1 : a.userId - b.userId;

function withQuoteOf(message: Message, original: Message): Message {
  return message.replyTo?.id === original.id ? { ...message, replyTo: replyRefOf(original) } : message;
}

/**
 * Applies one sequenced event the way ADR 028 says a client does, live or from `events?after=`.
 * Payloads are as now, so applying a newer state again must change nothing: messages are replaced by
 * id, receipts added when absent, and the summary only moves for events newer than its own `seq`.
 */
export function applyEvent(snapshot: Snapshot, event: ConversationEvent): Snapshot {
  const { userId } = snapshot;
  let { conversation, messages } = snapshot;
  const newerThanSummary = event.payload.seq > conversation.seq;

  switch (event.type) {
    case 'message:new':
    case 'message:updated': {
      const message = event.type === 'message:new' ? event.payload : event.payload.message;
      // A new message joins the list; an update replaces the message only where it is held.
      const held = messages.some((m) => m.id === message.id);
      if (held || event.type === 'message:new') {
        messages = [...messages.filter((m) => m.id !== message.id), message].sort((a, b) => a.id - b.id);
      }
      messages = messages.map((m) => withQuoteOf(m, message));
      const last = conversation.lastMessage;
      if (last?.id === message.id) conversation = { ...conversation, lastMessage: message };
      else if (last) conversation = { ...conversation, lastMessage: withQuoteOf(last, message) };
      if (event.type === 'message:new' && newerThanSummary) {
        const counts = message.kind === 'user' && message.sender.id !== userId;
        // Ids are handed out in commit order, so the newest id is the last send and its time the last activity.
        const newest = message.id > (conversation.lastMessage?.id ?? 0);
        conversation = {
          ...conversation,
          lastMessage: newest ? message : conversation.lastMessage,
          lastActivityAt: newest ? message.createdAt : conversation.lastActivityAt,
          unreadCount: conversation.unreadCount + (counts ? 1 : 0),
        };
      }
      break;
    }
    case 'message:seen': {
      const { userId: who, messageIds, seenAt } = event.payload;
      const marked = new Set(messageIds);
      const mark = (m: Message): Message =>
        marked.has(m.id) && m.sender.id !== who && !m.seenBy.some((s) => s.userId === who)
          ? { ...m, seenBy: [...m.seenBy, { userId: who, seenAt }].sort(bySeenOrder) }
          : m;
      messages = messages.map(mark);
      if (conversation.lastMessage) conversation = { ...conversation, lastMessage: mark(conversation.lastMessage) };
      if (who === userId && newerThanSummary) {
        conversation = { ...conversation, unreadCount: conversation.unreadCount - messageIds.length };
      }
      break;
    }
    case 'conversation:updated':
      conversation = event.payload.conversation;
      break;
  }
  if (newerThanSummary && event.payload.seq > conversation.seq)
    conversation = { ...conversation, seq: event.payload.seq };
  return { userId, conversation, messages };
}

import type { Conversation, Message } from '@parley/contracts';

/** A time on one test day, by minute and second, so ordering by time reads at a glance. */
export const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 0, 1, 12, minute, second)).toISOString();

export function message(id: number, overrides: Partial<Message> = {}): Message {
  return {
    id,
    conversationId: 7,
    seq: id,
    kind: 'user',
    sender: { id: 1, nickname: 'Alice' },
    content: `message ${id}`,
    clientId: null,
    createdAt: at(0, id),
    editedAt: null,
    deletedAt: null,
    replyTo: null,
    reactions: [],
    mentions: [],
    attachments: [],
    preview: null,
    system: null,
    seenBy: [],
    ...overrides,
  };
}

export function conversation(id: number, overrides: Partial<Conversation> = {}): Conversation {
  return {
    id,
    kind: 'group',
    title: `Conversation ${id}`,
    customTitle: `Conversation ${id}`,
    ownerId: 1,
    closedAt: null,
    members: [
      { id: 1, nickname: 'Alice', owner: true, joinedAt: at(0) },
      { id: 2, nickname: 'Bob', owner: false, joinedAt: at(0) },
    ],
    lastMessage: null,
    seq: 0,
    unreadCount: 0,
    unreadMentionCount: 0,
    muted: false,
    createdAt: at(0),
    lastActivityAt: at(0),
    ...overrides,
  };
}

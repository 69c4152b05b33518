import type { Conversation, Member } from '@parley/contracts';
import type { Db } from '@parley/db';
import { messagesByIds } from '../messages/queries.ts';
import {
  type ConversationViewRow,
  conversationRowsOfMembers,
  conversationRowsOfUser,
  membersOf,
  titleSourcesOf,
} from './queries.ts';
import { titleFor } from './title.ts';

/** Turns conversation rows into the contract's shape with two more queries, however many rows. */
async function toConversations(db: Db, rows: ConversationViewRow[]): Promise<Conversation[]> {
  const ids = [...new Set(rows.map((r) => r.id))];
  const lastIds = [...new Set(rows.flatMap((r) => (r.lastMessageId ? [r.lastMessageId] : [])))];
  const [memberRows, lastMessages] = await Promise.all([membersOf(db, ids), messagesByIds(db, lastIds)]);
  const membersByConversation = new Map<number, Member[]>();
  for (const { conversationId, ...member } of memberRows) {
    const list = membersByConversation.get(conversationId) ?? [];
    list.push(member);
    membersByConversation.set(conversationId, list);
  }
  const messageById = new Map(lastMessages.map((m) => [m.id, m]));
  return rows.map((r) => {
    const members = membersByConversation.get(r.id) ?? [];
    return {
      id: r.id,
      kind: r.kind,
      title: titleFor(r.userId, { kind: r.kind, customTitle: r.customTitle, members }),
      customTitle: r.customTitle,
      ownerId: r.ownerId,
      closedAt: r.closedAt?.toISOString() ?? null,
      members,
      lastMessage: (r.lastMessageId && messageById.get(r.lastMessageId)) || null,
      seq: r.lastSeq,
      unreadCount: r.unreadCount,
      unreadMentionCount: r.unreadMentionCount,
      muted: r.muted,
      createdAt: r.createdAt.toISOString(),
      lastActivityAt: r.lastActivityAt.toISOString(),
    };
  });
}

export async function conversationsOfUser(db: Db, userId: number): Promise<Conversation[]> {
  return toConversations(db, await conversationRowsOfUser(db, userId));
}

/** The conversation as each member (or each of `userIds`) sees it, keyed by user id. */
export async function conversationForMembers(
  db: Db,
  conversationId: number,
  userIds?: number[],
): Promise<Map<number, Conversation>> {
  const rows = await conversationRowsOfMembers(db, conversationId, userIds);
  const views = await toConversations(db, rows);
  return new Map(rows.map((r, i) => [r.userId, views[i]!]));
}

export async function conversationForUser(db: Db, conversationId: number, userId: number): Promise<Conversation> {
  const view = (await conversationForMembers(db, conversationId, [userId])).get(userId);
  if (!view) throw new Error(`conversation ${conversationId} has no member ${userId}`);
  return view;
}

/** The titles `viewerId` sees for these conversations (search results name their conversation so). */
export async function titlesForViewer(
  db: Db,
  viewerId: number,
  conversationIds: number[],
): Promise<Map<number, string>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await titleSourcesOf(db, conversationIds);
  return new Map(rows.map((r) => [r.id, titleFor(viewerId, { ...r, members: r.members ?? [] })]));
}

import type {
  AddMembersBody,
  Conversation,
  CreateConversationBody,
  SystemEntry,
  UpdateConversationBody,
} from '@parley/contracts';
import { LIMITS } from '@parley/contracts';
import type { Db } from '@parley/db';
import { recordEvent } from '../events/queries.ts';
import { AppError } from '../http/app-error.ts';
import type { RateLimit } from '../http/rate-limit.ts';
import { messagesByIds } from '../messages/queries.ts';
import type { Realtime } from '../realtime/realtime.ts';
import { findUsersByIds } from '../users/queries.ts';
import { type Membership, requireGroup, requireMember, requireOpen, requireOwner } from './access.ts';
import {
  addMembers as addMemberRows,
  deleteConversation,
  deleteMember,
  firstJoinedMember,
  insertGroup,
  insertOrFindDirect,
  insertSystemEntry,
  isMemberOf,
  memberCount,
  setMuted,
  updateConversation as updateConversationRow,
} from './queries.ts';
import { conversationForMembers, conversationForUser, conversationsOfUser } from './views.ts';

export interface ConversationDeps {
  db: Db;
  realtime: Realtime;
  /** Conversations created per user (CREATE_RATE_LIMIT): nobody fills another's list by the hundred. */
  createLimit: RateLimit;
}

export function listConversations({ db }: ConversationDeps, userId: number) {
  return conversationsOfUser(db, userId);
}

export async function getConversation({ db }: ConversationDeps, userId: number, conversationId: number) {
  await requireMember(db, conversationId, userId);
  return conversationForUser(db, conversationId, userId);
}

async function requireUsers(db: Db, ids: number[], field: string) {
  const found = new Set((await findUsersByIds(db, ids)).map((u) => u.id));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0)
    throw new AppError('validation_failed', undefined, { [field]: `Unknown user: ${unknown.join(', ')}.` });
}

/**
 * Exactly one other person and no title opens their direct conversation, made once per pair (201) or
 * found (200); anything else makes a group the caller owns.
 */
export async function createConversation(
  deps: ConversationDeps,
  userId: number,
  body: CreateConversationBody,
): Promise<{ conversation: Conversation; created: boolean }> {
  // Counted first, so parallel requests cannot pass the limit; given back when nothing is created
  // (an existing direct conversation opened again creates nothing).
  await deps.createLimit.consume(String(userId));
  try {
    const result = await insertAndAnnounce(deps, userId, body);
    if (!result.created) await deps.createLimit.refund(String(userId));
    return result;
  } catch (err) {
    await deps.createLimit.refund(String(userId));
    throw err;
  }
}

async function insertAndAnnounce(
  { db, realtime }: ConversationDeps,
  userId: number,
  body: CreateConversationBody,
): Promise<{ conversation: Conversation; created: boolean }> {
  // The caller first, then the others in the order given, each once.
  const memberIds = [...new Set([userId, ...body.memberIds])];
  if (memberIds.length < LIMITS.membersMin) {
    throw new AppError('validation_failed', undefined, { memberIds: 'Choose at least one other member.' });
  }
  if (memberIds.length > LIMITS.membersMax) {
    throw new AppError('validation_failed', undefined, {
      memberIds: `A conversation has at most ${LIMITS.membersMax} members.`,
    });
  }
  await requireUsers(db, memberIds, 'memberIds');
  const customTitle = body.title || null;
  const { id, created } = await db.transaction(async (tx) => {
    if (memberIds.length === 2 && !customTitle) return insertOrFindDirect(tx, [memberIds[0]!, memberIds[1]!]);
    return { id: await insertGroup(tx, { customTitle, ownerId: userId, memberIds }), created: true };
  });
  if (!created) return { conversation: await conversationForUser(db, id, userId), created };
  const views = await conversationForMembers(db, id);
  realtime.conversationNew(id, views);
  return { conversation: views.get(userId)!, created };
}

/**
 * Runs one change of the conversation under its row lock; `change` writes it and says which system
 * entries to record. Each entry takes two numbers, its `conversation:updated` first and then its own
 * `message:new` (ADR 028); all are emitted after the commit, in that order.
 */
async function changeConversation(
  { db, realtime }: ConversationDeps,
  userId: number,
  conversationId: number,
  change: (tx: Db, membership: Membership) => Promise<SystemEntry[]>,
  /** After the commit, before the change's events: room joins and leaves. */
  after?: () => Promise<void>,
): Promise<void> {
  const steps = await db.transaction(async (tx) => {
    const membership = await requireMember(tx, conversationId, userId, { lock: true });
    const entries = await change(tx, membership);
    const written: { seq: number; entryId: number }[] = [];
    for (const entry of entries) {
      const seq = await recordEvent(tx, conversationId, { type: 'conversation:updated' });
      written.push({ seq, entryId: await insertSystemEntry(tx, conversationId, userId, entry) });
    }
    return written;
  });
  if (after) await after();
  if (steps.length === 0) return;
  const [views, entries] = await Promise.all([
    conversationForMembers(db, conversationId),
    messagesByIds(
      db,
      steps.map((s) => s.entryId),
    ),
  ]);
  const entryById = new Map(entries.map((m) => [m.id, m]));
  for (const step of steps) {
    realtime.conversationUpdated(step.seq, views);
    const entry = entryById.get(step.entryId);
    if (entry) realtime.messageNew(entry);
  }
}

const entry = (action: SystemEntry['action'], userIds: number[], title: string | null = null): SystemEntry => ({
  action,
  userIds,
  title,
});

/** `title` sets the custom title (blank clears it); `ownerId` hands the group to another member. */
export async function updateConversation(
  deps: ConversationDeps,
  userId: number,
  conversationId: number,
  body: UpdateConversationBody,
): Promise<Conversation> {
  await changeConversation(deps, userId, conversationId, async (tx, membership) => {
    requireGroup(membership);
    requireOwner(membership, userId);
    requireOpen(membership);
    const entries: SystemEntry[] = [];
    const ownerId = body.ownerId;
    if (ownerId !== undefined && ownerId !== membership.ownerId && !(await isMemberOf(tx, conversationId, ownerId))) {
      throw new AppError('validation_failed', undefined, { ownerId: 'The new owner must be a member.' });
    }
    const customTitle = body.title === undefined ? undefined : body.title || null;
    // A change to what it already is changes nothing, so it takes no number (ADR 028).
    if (customTitle !== undefined && customTitle !== membership.customTitle) {
      await updateConversationRow(tx, conversationId, { customTitle });
      entries.push(entry('renamed', [], customTitle));
    }
    if (ownerId !== undefined && ownerId !== membership.ownerId) {
      await updateConversationRow(tx, conversationId, { ownerId });
      entries.push(entry('owner_changed', [ownerId]));
    }
    return entries;
  });
  return conversationForUser(deps.db, conversationId, userId);
}

export async function closeConversation(deps: ConversationDeps, userId: number, conversationId: number) {
  await changeConversation(deps, userId, conversationId, async (tx, membership) => {
    requireGroup(membership);
    requireOwner(membership, userId);
    requireOpen(membership);
    await updateConversationRow(tx, conversationId, { closedAt: new Date() });
    return [entry('closed', [])];
  });
  return conversationForUser(deps.db, conversationId, userId);
}

/**
 * The owner adds people: those already in are ignored, and nobody new writes nothing. The new members'
 * sockets join the room on every replica before anything about the change is emitted.
 */
export async function addMembers(
  deps: ConversationDeps,
  userId: number,
  conversationId: number,
  body: AddMembersBody,
): Promise<Conversation> {
  const { db, realtime } = deps;
  const userIds = [...new Set(body.userIds)];
  let added: number[] = [];
  await changeConversation(
    deps,
    userId,
    conversationId,
    async (tx, membership) => {
      requireGroup(membership);
      requireOwner(membership, userId);
      requireOpen(membership);
      await requireUsers(tx, userIds, 'userIds');
      added = await addMemberRows(tx, conversationId, userIds);
      if (added.length === 0) return [];
      if ((await memberCount(tx, conversationId)) > LIMITS.membersMax) {
        throw new AppError('validation_failed', undefined, {
          userIds: `A conversation has at most ${LIMITS.membersMax} members.`,
        });
      }
      return [entry('members_added', added)];
    },
    async () => {
      if (added.length === 0) return;
      await realtime.joinRoom(conversationId, added);
      realtime.conversationNew(conversationId, await conversationForMembers(db, conversationId, added));
    },
  );
  return conversationForUser(db, conversationId, userId);
}

/**
 * The owner removes someone, or anyone removes themselves (leaving, allowed when closed too). The
 * membership row goes, so every later request of theirs is a 404; their sockets leave the room on
 * every replica before the answer, and they are told. An owner who leaves hands the group to the
 * member who joined first; the last one out deletes the conversation.
 */
export async function removeMember(
  deps: ConversationDeps,
  userId: number,
  conversationId: number,
  targetId: number,
): Promise<void> {
  const { realtime } = deps;
  const leaving = targetId === userId;
  let removed = false;
  await changeConversation(
    deps,
    userId,
    conversationId,
    async (tx, membership) => {
      requireGroup(membership);
      if (!leaving) {
        requireOwner(membership, userId);
        requireOpen(membership);
      }
      if (!(await deleteMember(tx, conversationId, targetId))) throw new AppError('not_found');
      removed = true;
      if ((await memberCount(tx, conversationId)) === 0) {
        await deleteConversation(tx, conversationId);
        return [];
      }
      if (!leaving) return [entry('member_removed', [targetId])];
      const entries = [entry('member_left', [userId])];
      if (membership.ownerId === userId) {
        const heir = await firstJoinedMember(tx, conversationId);
        await updateConversationRow(tx, conversationId, { ownerId: heir! });
        entries.push(entry('owner_changed', [heir!]));
      }
      return entries;
    },
    async () => {
      if (!removed) return;
      // Out of the room everywhere first: nothing emitted after this reaches the removed member.
      await realtime.leaveRoom(conversationId, [targetId]);
      realtime.conversationRemoved(conversationId, targetId);
    },
  );
}

/** Mute is the caller's own setting: not sequenced, told to every socket of theirs. */
export async function setMute(
  { db, realtime }: ConversationDeps,
  userId: number,
  conversationId: number,
  muted: boolean,
): Promise<Conversation> {
  await requireMember(db, conversationId, userId);
  await setMuted(db, conversationId, userId, muted);
  realtime.conversationSettings(userId, { conversationId, muted });
  return conversationForUser(db, conversationId, userId);
}

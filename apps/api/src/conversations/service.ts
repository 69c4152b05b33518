import type { Conversation, CreateConversationBody, RenameConversationBody } from '@parley/contracts';
import { LIMITS } from '@parley/contracts';
import type { Db } from '@parley/db';
import { recordEvent } from '../events/queries.ts';
import { AppError } from '../http/app-error.ts';
import type { RateLimit } from '../http/rate-limit.ts';
import type { Realtime } from '../realtime/realtime.ts';
import { findUsersByIds } from '../users/queries.ts';
import { requireMember, requireOpen, requireOwner } from './access.ts';
import { insertConversation, updateConversation } from './queries.ts';
import { conversationForMembers, conversationForUser, conversationsOfUser } from './views.ts';

/**
 * The members' nicknames joined by ", " (API.md). A title has at most 100 characters, so a long list
 * stops at the last whole nickname that fits and ends with "…" rather than cutting a name in half.
 */
export function titleFromNicknames(nicknames: string[]): string {
  const full = nicknames.join(', ');
  if (full.length <= LIMITS.titleMax) return full;
  let title = nicknames[0]!;
  for (const nickname of nicknames.slice(1)) {
    if (`${title}, ${nickname}, …`.length > LIMITS.titleMax) break;
    title = `${title}, ${nickname}`;
  }
  return `${title}, …`;
}

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

export async function createConversation(
  deps: ConversationDeps,
  userId: number,
  body: CreateConversationBody,
): Promise<Conversation> {
  // Counted first, so parallel requests cannot pass the limit; given back when nothing is created.
  await deps.createLimit.consume(String(userId));
  try {
    return await insertAndAnnounce(deps, userId, body);
  } catch (err) {
    await deps.createLimit.refund(String(userId));
    throw err;
  }
}

async function insertAndAnnounce(
  { db, realtime }: ConversationDeps,
  userId: number,
  body: CreateConversationBody,
): Promise<Conversation> {
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
  const found = new Map((await findUsersByIds(db, memberIds)).map((u) => [u.id, u.nickname]));
  const unknown = memberIds.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', undefined, { memberIds: `Unknown user: ${unknown.join(', ')}.` });
  }
  const title = body.title || titleFromNicknames(memberIds.map((id) => found.get(id)!));
  const conversationId = await db.transaction((tx) => insertConversation(tx, { title, ownerId: userId, memberIds }));
  const views = await conversationForMembers(db, conversationId);
  realtime.conversationNew(conversationId, views);
  return views.get(userId)!;
}

/** Owner-only changes of an open conversation, under its row lock; every member is told. */
async function ownerUpdate(
  { db, realtime }: ConversationDeps,
  userId: number,
  conversationId: number,
  change: { title: string } | { closedAt: Date },
): Promise<Conversation> {
  const seq = await db.transaction(async (tx) => {
    const membership = await requireMember(tx, conversationId, userId, { lock: true });
    requireOwner(membership, userId);
    requireOpen(membership);
    // A rename to the title it has changes nothing, so it takes no number (ADR 028).
    if ('title' in change && change.title === membership.title) return 0;
    await updateConversation(tx, conversationId, change);
    return recordEvent(tx, conversationId, { type: 'conversation:updated' });
  });
  if (seq === 0) return conversationForUser(db, conversationId, userId);
  const views = await conversationForMembers(db, conversationId);
  realtime.conversationUpdated(seq, views);
  return views.get(userId)!;
}

export function renameConversation(
  deps: ConversationDeps,
  userId: number,
  conversationId: number,
  body: RenameConversationBody,
) {
  return ownerUpdate(deps, userId, conversationId, { title: body.title });
}

export function closeConversation(deps: ConversationDeps, userId: number, conversationId: number) {
  return ownerUpdate(deps, userId, conversationId, { closedAt: new Date() });
}

import { LIMITS, type Message } from '@parley/contracts';
import type { Db } from '@parley/db';
import { type Membership, requireMember, requireOpen } from '../conversations/access.ts';
import { mentionsIn } from '../conversations/queries.ts';
import { recordEvent } from '../events/queries.ts';
import { AppError } from '../http/app-error.ts';
import type { Realtime } from '../realtime/realtime.ts';
import {
  addReaction,
  eraseMessage,
  findMessageToChange,
  type MessageToChange,
  reactionCounts,
  removeReaction,
  replaceContent,
} from './changes.ts';
import { messagesByIds } from './queries.ts';

export interface MessageActionDeps {
  db: Db;
  realtime: Realtime;
}

type Change = (tx: Db, target: MessageToChange, membership: Membership) => Promise<boolean>;

/**
 * The one path of every change to a message. Under the conversation's row lock (the lock every
 * sequenced change takes first, ADR 028) it checks membership, finds the message in this
 * conversation, and lets `change` decide and write; a change that changed something takes the next
 * seq and is told to the room after the commit, once. The answer is the message as it is now.
 */
async function changeMessage(
  { db, realtime }: MessageActionDeps,
  userId: number,
  conversationId: number,
  messageId: number,
  change: Change,
): Promise<Message> {
  const seq = await db.transaction(async (tx) => {
    const membership = await requireMember(tx, conversationId, userId, { lock: true });
    const target = await findMessageToChange(tx, conversationId, messageId);
    if (!target) throw new AppError('not_found');
    if (!(await change(tx, target, membership))) return 0;
    return recordEvent(tx, conversationId, { type: 'message:updated', messageId });
  });
  const [message] = await messagesByIds(db, [messageId]);
  if (!message) throw new Error(`message ${messageId} is gone`);
  if (seq > 0) realtime.messageUpdated({ conversationId, seq, message });
  return message;
}

const notSystem = (target: MessageToChange, what: string) => {
  if (target.kind === 'system') throw new AppError('forbidden', `A system entry cannot be ${what}.`);
};
const notDeleted = (target: MessageToChange) => {
  if (target.deletedAt) throw new AppError('message_deleted');
};

/** The sender replaces the content while the conversation is open; the same content changes nothing. */
export function editMessage(
  deps: MessageActionDeps,
  userId: number,
  conversationId: number,
  messageId: number,
  content: string,
) {
  return changeMessage(deps, userId, conversationId, messageId, async (tx, target, membership) => {
    notSystem(target, 'edited');
    if (target.senderId !== userId) throw new AppError('forbidden', 'Only the sender can edit a message.');
    requireOpen(membership);
    notDeleted(target);
    if (target.content === content) return false;
    await replaceContent(tx, messageId, content, await mentionsIn(tx, conversationId, content));
    return true;
  });
}

/** The sender or the group's owner erases the message; deleting a tombstone changes nothing. */
export function deleteMessage(deps: MessageActionDeps, userId: number, conversationId: number, messageId: number) {
  return changeMessage(deps, userId, conversationId, messageId, async (tx, target, membership) => {
    notSystem(target, 'deleted');
    if (target.senderId !== userId && (membership.kind !== 'group' || membership.ownerId !== userId)) {
      throw new AppError('forbidden', 'Only the sender or the owner can delete a message.');
    }
    requireOpen(membership);
    if (target.deletedAt) return false;
    await eraseMessage(tx, messageId);
    return true;
  });
}

/** Adds the caller's `emoji`; at most LIMITS.reactionsMax distinct emoji per message. */
export function addMessageReaction(
  deps: MessageActionDeps,
  userId: number,
  conversationId: number,
  messageId: number,
  emoji: string,
) {
  return changeMessage(deps, userId, conversationId, messageId, async (tx, target, membership) => {
    notSystem(target, 'reacted to');
    requireOpen(membership);
    notDeleted(target);
    const { distinct, hasEmoji } = await reactionCounts(tx, messageId, emoji);
    if (!hasEmoji && distinct >= LIMITS.reactionsMax) {
      throw new AppError('too_many_reactions', undefined, {
        emoji: `A message takes at most ${LIMITS.reactionsMax} different emoji.`,
      });
    }
    return addReaction(tx, messageId, emoji, userId);
  });
}

/** Removes the caller's `emoji`; removing one that is not there changes nothing. */
export function removeMessageReaction(
  deps: MessageActionDeps,
  userId: number,
  conversationId: number,
  messageId: number,
  emoji: string,
) {
  return changeMessage(deps, userId, conversationId, messageId, async (tx, target, membership) => {
    notSystem(target, 'reacted to');
    requireOpen(membership);
    notDeleted(target);
    return removeReaction(tx, messageId, emoji, userId);
  });
}

import { LIMITS, type Message } from '@parley/contracts';
import type { Db } from '@parley/db';
import type { Logger } from 'pino';
import { eraseBytes } from '../attachments/service.ts';
import type { Storage } from '../attachments/storage.ts';
import { type Membership, requireMember, requireOpen } from '../conversations/access.ts';
import { mentionsIn } from '../conversations/queries.ts';
import { recordEvent } from '../events/queries.ts';
import { AppError } from '../http/app-error.ts';
import { firstUrl } from '../link-previews/first-url.ts';
import type { LinkPreviews } from '../link-previews/service.ts';
import type { Realtime } from '../realtime/realtime.ts';
import {
  addReaction,
  clearPreview,
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
  storage: Storage;
  logger: Logger;
  previews: LinkPreviews;
}

type Change = (tx: Db, target: MessageToChange, membership: Membership) => Promise<boolean>;

/**
 * The one way a change to a message is committed: `write` runs in a transaction and takes the
 * conversation's row lock first (the lock every sequenced change takes, ADR 028); when it changed
 * something, the change takes the next seq and is told to the room after the commit, once. The
 * answer is the message as it is now. Used by members' changes below and by the server's own
 * (a link preview arriving).
 */
export async function commitMessageChange(
  { db, realtime }: Pick<MessageActionDeps, 'db' | 'realtime'>,
  conversationId: number,
  messageId: number,
  write: (tx: Db) => Promise<boolean>,
): Promise<Message> {
  const seq = await db.transaction(async (tx) => {
    if (!(await write(tx))) return 0;
    return recordEvent(tx, conversationId, { type: 'message:updated', messageId });
  });
  const [message] = await messagesByIds(db, [messageId]);
  if (!message) throw new Error(`message ${messageId} is gone`);
  if (seq > 0) realtime.messageUpdated({ conversationId, seq, message });
  return message;
}

/** A member's change: membership checked under the lock, the message found in this conversation. */
function changeMessage(
  deps: MessageActionDeps,
  userId: number,
  conversationId: number,
  messageId: number,
  change: Change,
): Promise<Message> {
  return commitMessageChange(deps, conversationId, messageId, async (tx) => {
    const membership = await requireMember(tx, conversationId, userId, { lock: true });
    const target = await findMessageToChange(tx, conversationId, messageId);
    if (!target) throw new AppError('not_found');
    return change(tx, target, membership);
  });
}

const notSystem = (target: MessageToChange, what: string) => {
  if (target.kind === 'system') throw new AppError('forbidden', `A system entry cannot be ${what}.`);
};
const notDeleted = (target: MessageToChange) => {
  if (target.deletedAt) throw new AppError('message_deleted');
};

/** The sender replaces the content while the conversation is open; the same content changes nothing. */
export async function editMessage(
  deps: MessageActionDeps,
  userId: number,
  conversationId: number,
  messageId: number,
  content: string,
) {
  let newUrl: string | undefined;
  let fetchAfter = false;
  const message = await changeMessage(deps, userId, conversationId, messageId, async (tx, target, membership) => {
    notSystem(target, 'edited');
    if (target.senderId !== userId) throw new AppError('forbidden', 'Only the sender can edit a message.');
    requireOpen(membership);
    notDeleted(target);
    if (target.content === content) return false;
    // A message may be files alone (API.md, Limits); one without files needs its text.
    if (content === '' && target.attachmentCount === 0) {
      throw new AppError('validation_failed', undefined, { content: 'Message is required' });
    }
    await replaceContent(tx, messageId, content, await mentionsIn(tx, conversationId, content));
    newUrl = firstUrl(content);
    if (newUrl !== firstUrl(target.content)) {
      if (target.previewId !== null) await clearPreview(tx, messageId);
      if (newUrl) fetchAfter = true;
    }
    return true;
  });
  // After the commit: the edit never waits for the new URL's preview.
  if (fetchAfter && newUrl) deps.previews.schedule(conversationId, messageId, newUrl);
  return message;
}

/** The sender or the group's owner erases the message; deleting a tombstone changes nothing. */
export async function deleteMessage(
  deps: MessageActionDeps,
  userId: number,
  conversationId: number,
  messageId: number,
) {
  let erased: string[] = [];
  const message = await changeMessage(deps, userId, conversationId, messageId, async (tx, target, membership) => {
    notSystem(target, 'deleted');
    if (target.senderId !== userId && (membership.kind !== 'group' || membership.ownerId !== userId)) {
      throw new AppError('forbidden', 'Only the sender or the owner can delete a message.');
    }
    requireOpen(membership);
    if (target.deletedAt) return false;
    erased = await eraseMessage(tx, messageId);
    return true;
  });
  // The rows went with the commit; the bytes go now (API.md: erased from storage, not hidden).
  await eraseBytes(deps, erased);
  return message;
}

/** The sender takes the preview off their message; one that has none changes nothing. */
export function removeMessagePreview(
  deps: MessageActionDeps,
  userId: number,
  conversationId: number,
  messageId: number,
) {
  return changeMessage(deps, userId, conversationId, messageId, async (tx, target, membership) => {
    if (target.senderId !== userId) throw new AppError('forbidden', 'Only the sender can remove the preview.');
    requireOpen(membership);
    if (target.previewId === null) return false;
    await clearPreview(tx, messageId);
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

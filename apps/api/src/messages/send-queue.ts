import type { Message } from '@parley/contracts';
import { pgErrorOf } from '@parley/db';
import type { Logger } from 'pino';
import { oneInFlight } from '../one-in-flight.ts';
import { insertMessages, type NewMessage, type Queryable } from './queries.ts';

/** Past this many sends one statement gets long enough to hold the conversations' locks for too long. */
export const MAX_BATCH = 128;

export interface SendQueue {
  /**
   * Stores `send` with the sends around it: the stored message, or undefined when one of the send's
   * checks did not hold (see insertMessages).
   */
  store(send: NewMessage): Promise<Message | undefined>;
}

interface Waiting {
  send: NewMessage;
  resolve(message: Message | undefined): void;
  reject(err: unknown): void;
}

/**
 * Smart batching of sends (ADR 045). While one send statement is in flight, the sends that arrive
 * wait; when it commits, they go as the next statement, so a busy process pays one commit per batch
 * and an idle one sends at once, never waiting for company. With one statement in flight, batches
 * commit in the order they are written, and `stored` hears each batch's messages in seq order
 * before the next batch is written: emitting there makes emit order commit order.
 */
export function createSendQueue(
  pool: Queryable,
  stored: (messages: Message[]) => void,
  logger: Pick<Logger, 'error'>,
  maxBatch = MAX_BATCH,
): SendQueue {
  async function write(batch: Waiting[]): Promise<void> {
    let results: (Message | undefined)[];
    try {
      results = await insertMessages(
        pool,
        batch.map((w) => w.send),
      );
    } catch (err) {
      // Only PostgreSQL's refusal of the statement (a SQLSTATE) says nothing was committed. A lost
      // connection may come after the commit: writing the sends again could store them twice, so each
      // sender gets the error, as a lone send would, and a retry with its clientId finds the original.
      if (batch.length === 1 || !refusedByPostgres(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      // One send's failure (a clientId committed by another replica meanwhile, say) must not fail the
      // others: each goes again alone and meets its own answer.
      for (const one of batch) await write([one]);
      return;
    }
    try {
      stored(results.filter((m): m is Message => m !== undefined));
    } catch (err) {
      // The messages are committed: their senders get their answers whatever telling the rooms did.
      logger.error({ err }, 'telling the rooms about stored messages failed');
    }
    for (const [i, w] of batch.entries()) w.resolve(results[i]);
  }

  const enqueue = oneInFlight<Waiting>((waiting) => nextBatch(waiting, maxBatch), write);

  return {
    store(send) {
      return new Promise((resolve, reject) => enqueue({ send, resolve, reject }));
    },
  };
}

/** An error PostgreSQL answered for the statement (five-character SQLSTATE), so it rolled back. */
function refusedByPostgres(err: unknown): boolean {
  const { code } = pgErrorOf(err);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * Takes up to `max` sends off the front of `waiting`, leaving for a later batch any send that could
 * collide with one already taken: the same upload claimed, or the same clientId of a sender in a
 * conversation (a retry racing its original). Order within a conversation is kept: once a send of a
 * conversation is left, later sends of that conversation are left too.
 */
export function nextBatch<T extends { send: NewMessage }>(waiting: T[], max: number): T[] {
  const batch: T[] = [];
  const left: T[] = [];
  const uploads = new Set<number>();
  const clientIds = new Set<string>();
  const heldBack = new Set<number>();
  for (const item of waiting) {
    const { send } = item;
    const clientKey = send.clientId === null ? undefined : `${send.senderId}:${send.conversationId}:${send.clientId}`;
    const collides =
      batch.length >= max ||
      heldBack.has(send.conversationId) ||
      (clientKey !== undefined && clientIds.has(clientKey)) ||
      send.attachmentIds.some((id) => uploads.has(id));
    if (collides) {
      left.push(item);
      heldBack.add(send.conversationId);
      continue;
    }
    batch.push(item);
    if (clientKey !== undefined) clientIds.add(clientKey);
    for (const id of send.attachmentIds) uploads.add(id);
  }
  waiting.splice(0, waiting.length, ...left);
  return batch;
}

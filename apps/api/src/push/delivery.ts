import type https from 'node:https';
import type { Message, PushPayload } from '@parley/contracts';
import type { Db } from '@parley/db';
import type { Logger } from 'pino';
import webpush, { WebPushError } from 'web-push';
import { conversationForMembers } from '../conversations/views.ts';
import type { Attention } from './attention.ts';
import { deleteSubscriptionById, pushCandidatesStatement, type StoredSubscription } from './queries.ts';
import type { VapidKeys } from './vapid.ts';
import { mentions, pushPayload, shouldPush, topicOf, urgencyOf } from './who-is-pushed.ts';
import { createWorkQueue } from './work-queue.ts';

export interface PushDeliveryDeps {
  db: Db;
  /** Where the fan-out's prepared statement runs (ADR 052). */
  planned: Db;
  attention: Attention;
  keys: () => Promise<VapidKeys>;
  /** The one keep-alive pool every push goes through: the public-address guard (ADR 031). */
  agent: https.Agent;
  logger: Logger;
  /** Pushes in flight at once, so also the most connections opened to one push service. */
  concurrency?: number;
  /** A push service slower than this is given up on. */
  timeoutMs?: number;
  /** Told each push's outcome (metrics). */
  onResult?: (result: PushResult) => void;
}

export type PushResult = 'sent' | 'gone' | 'failed' | 'dropped';

export interface PushDelivery {
  /** Called after the message is committed; returns at once, whatever the push services do. */
  messageNew(message: Message): void;
  /** Resolves once every push queued so far has been answered or given up (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const ONE_DAY_SECONDS = 24 * 60 * 60;
// Messages waiting to be fanned out, and pushes waiting for a connection: past these, pushes are
// dropped (and logged) rather than queued without end behind a push service that has stalled.
const FANOUT_CAPACITY = 1_000;
const SEND_CAPACITY = 10_000;
/**
 * How long a new message waits for others before its fan-out (ADR 034). A push takes seconds end to
 * end; at 1,000 sends/s this means one subscriptions query per 50 ms instead of one per send
 * statement, which took PostgreSQL's CPU from the sends.
 */
const FANOUT_WINDOW_MS = 50;

/** Web push for new messages, entirely off the send path (API.md: a push never delays or fails a send). */
export function createPushDelivery({
  db,
  planned,
  attention,
  keys,
  agent,
  logger,
  concurrency = 8,
  timeoutMs = 15_000,
  onResult = () => {},
}: PushDeliveryDeps): PushDelivery {
  // Finding who to push reads the database: two at a time. Their subscriptions query runs on the
  // planned pool (ADR 052), sized for them beside the send queue and the read check.
  const fanouts = createWorkQueue(2, FANOUT_CAPACITY);
  const pushCandidates = pushCandidatesStatement(planned);
  const sends = createWorkQueue(concurrency, SEND_CAPACITY);
  agent.maxSockets = concurrency;
  let closed = false;

  async function send(candidate: StoredSubscription, message: Message, payload: PushPayload, mentioned: boolean) {
    const vapid = await keys();
    try {
      await webpush.sendNotification(
        { endpoint: candidate.endpoint, keys: { p256dh: candidate.p256dh, auth: candidate.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: vapid,
          TTL: ONE_DAY_SECONDS,
          topic: topicOf(message.conversationId),
          urgency: urgencyOf(mentioned),
          contentEncoding: 'aes128gcm',
          agent,
          timeout: timeoutMs,
        },
      );
      onResult('sent');
    } catch (err) {
      if (err instanceof WebPushError && (err.statusCode === 404 || err.statusCode === 410)) {
        // The browser unsubscribed or the subscription expired: it will never take a push again.
        onResult('gone');
        await deleteSubscriptionById(db, candidate.id);
        return;
      }
      onResult('failed');
      // The endpoint is a capability URL: only its host is logged.
      const host = new URL(candidate.endpoint).host;
      const status = err instanceof WebPushError ? err.statusCode : undefined;
      logger.warn({ host, status, err: (err as Error).message }, 'push failed');
    }
  }

  /**
   * Who hears about each of a burst of new messages: one query finds the subscriptions of all their
   * conversations, so a busy process does not pay a query per message when few members subscribe.
   */
  async function fanOut(burst: Message[]) {
    const candidates = await pushCandidates([...new Set(burst.map((m) => m.conversationId))]);
    if (candidates.length === 0) return;
    for (const message of burst) {
      const mine = candidates.filter(
        (c) => c.conversationId === message.conversationId && c.userId !== message.sender.id,
      );
      if (mine.length === 0) continue;
      // One message's trouble (Redis away a moment, say) must not cost the rest of the burst their push.
      await fanOutMessage(message, mine).catch((err) =>
        logger.error({ err, messageId: message.id }, 'push fan-out failed'),
      );
    }
  }

  async function fanOutMessage(message: Message, candidates: StoredSubscription[]) {
    const userIds = [...new Set(candidates.map((c) => c.userId))];
    const looking = await attention.visibleAmong(userIds);
    const away = userIds.filter((id) => !looking.has(id));
    if (away.length === 0) return;
    // The conversation as each recipient sees it: their title, and whether they muted it.
    const views = await conversationForMembers(db, message.conversationId, away);
    for (const candidate of candidates) {
      const view = views.get(candidate.userId);
      if (!view) continue; // looking at a tab, or no longer a member
      const mentioned = mentions(message, candidate.userId);
      if (!shouldPush({ looking: false, muted: view.muted, mentioned })) continue;
      const payload = pushPayload(message, view);
      if (!sends.add(() => send(candidate, message, payload, mentioned))) {
        onResult('dropped');
        logger.warn({ conversationId: message.conversationId }, 'push queue full: push dropped');
      }
    }
  }

  // Messages not yet handed to a fan-out. The first of a burst opens a window; when it closes, a
  // fan-out is queued, unless one already waits: that one takes everything gathered when it starts, so
  // a backlog behind a slow database stays within FANOUT_CAPACITY messages.
  let burst: Message[] = [];
  let window: { timer: NodeJS.Timeout; closed: Promise<void>; resolve: () => void } | undefined;
  let queued = false;
  const closeWindow = () => {
    window = undefined;
    if (queued || burst.length === 0) return;
    queued = true;
    const added = fanouts.add(async () => {
      queued = false;
      const taken = burst;
      burst = [];
      await fanOut(taken).catch((err) =>
        logger.error({ err, messageIds: taken.map((m) => m.id) }, 'push fan-out failed'),
      );
    });
    if (!added) {
      queued = false;
      logger.warn({ messages: burst.length }, 'push queue full: messages not pushed');
      burst = [];
    }
  };

  return {
    messageNew(message) {
      if (closed || message.kind !== 'user') return;
      if (burst.length >= FANOUT_CAPACITY) {
        logger.warn({ messageId: message.id }, 'push queue full: message not pushed');
        return;
      }
      burst.push(message);
      if (window) return;
      let resolve!: () => void;
      const closedWindow = new Promise<void>((done) => {
        resolve = done;
      });
      const timer = setTimeout(() => {
        closeWindow();
        resolve();
      }, FANOUT_WINDOW_MS);
      window = { timer, closed: closedWindow, resolve };
    },
    async idle() {
      await window?.closed;
      await fanouts.idle();
      await sends.idle();
    },
    async close() {
      closed = true;
      if (window) {
        clearTimeout(window.timer);
        window.resolve();
      }
      window = undefined;
      burst = [];
      fanouts.clear();
      sends.clear();
      agent.destroy();
    },
  };
}

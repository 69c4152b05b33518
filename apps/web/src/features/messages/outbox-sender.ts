import type { Message } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { ApiError, isTransientError } from '../../lib/api-client.ts';
import { errorMessage } from '../../lib/error-message.ts';
import { applyMessageToList } from '../conversations/cache.ts';
import { postMessage } from './api.ts';
import { addMessages, catchUp } from './cache.ts';
import type { Outbox, OutboxEntry } from './outbox.ts';

export interface OutboxSender {
  submit(conversationId: number, content: string): void;
  retry(clientId: string): void;
  discard(clientId: string): void;
  /** Sends everything that is due, oldest first. */
  flush(): void;
  /** A confirmed message, from the REST answer or the socket: it is no longer pending. */
  confirm(message: Message): void;
  dispose(): void;
}

function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; plain-http LAN testing still deserves unique ids.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** One queue for all sends, so messages reach the server in the order they were written. */
export function createOutboxSender(outbox: Outbox, queryClient: QueryClient): OutboxSender {
  const inFlight = new Set<string>();
  let queue = Promise.resolve();
  let retryTimer: number | undefined;

  function confirm(message: Message) {
    if (addMessages(queryClient, message.conversationId, [message])) {
      void catchUp(queryClient, message.conversationId).catch(() => {});
    }
    applyMessageToList(queryClient, message, false);
    if (message.clientId) outbox.remove(message.clientId);
  }

  function scheduleRetry(seconds: number) {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(flush, seconds * 1000);
  }

  async function send(clientId: string) {
    const entry = outbox.getSnapshot().find((e) => e.clientId === clientId);
    if (!entry || inFlight.has(clientId)) return;
    inFlight.add(clientId);
    outbox.update(clientId, { status: 'sending', error: undefined });
    try {
      confirm(await postMessage(entry.conversationId, entry.content, entry.clientId));
    } catch (error) {
      if (isTransientError(error)) {
        outbox.update(clientId, { status: 'waiting' });
        // Offline: the `online` event or the socket reconnecting flushes; this is only a safety net.
        scheduleRetry(error instanceof ApiError && error.retryAfter !== undefined ? error.retryAfter : 10);
      } else {
        outbox.update(clientId, { status: 'failed', error: errorMessage(error) });
      }
    } finally {
      inFlight.delete(clientId);
    }
  }

  function enqueue(clientId: string) {
    queue = queue.then(() => send(clientId));
  }

  function flush() {
    const due = outbox
      .getSnapshot()
      .filter((entry: OutboxEntry) => entry.status !== 'failed' && !inFlight.has(entry.clientId));
    for (const entry of due) enqueue(entry.clientId);
  }

  return {
    submit(conversationId, content) {
      const clientId = newClientId();
      outbox.add({
        clientId,
        conversationId,
        content,
        createdAt: new Date().toISOString(),
        status: 'sending',
      });
      enqueue(clientId);
    },
    retry(clientId) {
      outbox.update(clientId, { status: 'sending', error: undefined });
      enqueue(clientId);
    },
    discard(clientId) {
      outbox.remove(clientId);
    },
    flush,
    confirm,
    dispose() {
      window.clearTimeout(retryTimer);
    },
  };
}

import type { Attachment, Message, ReplyRef } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { ApiError, isTransientError } from '../../lib/api-client.ts';
import { errorMessage } from '../../lib/error-message.ts';
import { showSentInList } from '../conversations/index.ts';
import { postMessage } from './api.ts';
import { showSentMessage } from './cache.ts';
import type { Outbox, OutboxEntry } from './outbox.ts';

export interface OutboxSender {
  submit(conversationId: number, content: string, replyTo?: ReplyRef, attachments?: Attachment[]): void;
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

/**
 * One drain for all sends: the oldest unsent message goes first, and a transient failure stops the pass,
 * so a message written later (or the moment the server is back) can never overtake one still waiting.
 */
export function createOutboxSender(outbox: Outbox, queryClient: QueryClient): OutboxSender {
  let draining: Promise<void> | undefined;
  let again = false;
  let retryTimer: number | undefined;

  function confirm(message: Message) {
    showSentMessage(queryClient, message);
    showSentInList(queryClient, message);
    if (message.clientId) outbox.remove(message.clientId);
  }

  function scheduleRetry(seconds: number) {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(flush, seconds * 1000);
  }

  /** True when the pass may go on (sent, or failed for good); false when the server is out of reach. */
  async function send(entry: OutboxEntry): Promise<boolean> {
    outbox.update(entry.clientId, { status: 'sending', error: undefined, resumeAt: undefined });
    try {
      confirm(
        await postMessage(
          entry.conversationId,
          entry.content,
          entry.clientId,
          entry.replyTo?.id,
          entry.attachments?.map((a) => a.id),
        ),
      );
      // The answer carries our clientId; removing by it again guards the loop against one that does not.
      outbox.remove(entry.clientId);
      return true;
    } catch (error) {
      if (!isTransientError(error)) {
        outbox.update(entry.clientId, { status: 'failed', error: errorMessage(error) });
        return true;
      }
      // At the send limit the connection is fine: the entries say when sending goes on, not "waiting for connection".
      const limited = error instanceof ApiError && error.status === 429;
      const resumeAt = limited ? Date.now() + (error.retryAfter ?? 10) * 1000 : undefined;
      for (const waiting of outbox.getSnapshot()) {
        if (waiting.status !== 'failed') outbox.update(waiting.clientId, { status: 'waiting', resumeAt });
      }
      // Offline: the `online` event or the socket reconnecting flushes; this is only a safety net.
      scheduleRetry(error instanceof ApiError && error.retryAfter !== undefined ? error.retryAfter : 10);
      return false;
    }
  }

  async function drain() {
    // Entries saved before a reload are older than anything written since: read them back first.
    await outbox.ready;
    do {
      again = false;
      for (;;) {
        const next = outbox.getSnapshot().find((entry) => entry.status !== 'failed');
        if (!next || !(await send(next))) break;
      }
    } while (again);
  }

  function flush() {
    if (draining) {
      again = true;
      return;
    }
    draining = drain().finally(() => {
      draining = undefined;
    });
  }

  return {
    submit(conversationId, content, replyTo, attachments) {
      outbox.add({
        clientId: newClientId(),
        conversationId,
        content,
        ...(replyTo ? { replyTo } : {}),
        ...(attachments?.length ? { attachments } : {}),
        createdAt: new Date().toISOString(),
        status: 'sending',
      });
      flush();
    },
    retry(clientId) {
      outbox.update(clientId, { status: 'sending', error: undefined });
      flush();
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

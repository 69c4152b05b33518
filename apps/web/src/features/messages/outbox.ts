import type { Attachment, ReplyRef } from '@parley/contracts';
import { del, get, update } from 'idb-keyval';

const outboxKey = (userId: number) => `parley:outbox:${userId}`;

export type OutboxStatus = 'sending' | 'waiting' | 'failed';

/** A message the server has not confirmed yet. The clientId makes every retry the same message. */
export interface OutboxEntry {
  clientId: string;
  conversationId: number;
  content: string;
  /** The message this one answers, as the composer showed it. */
  replyTo?: ReplyRef | undefined;
  /** Uploaded already; the send only names them (attachmentIds). */
  attachments?: Attachment[] | undefined;
  createdAt: string;
  status: OutboxStatus;
  error?: string | undefined;
  /** Waiting because the server said 429: when it said sending may go on (epoch ms). */
  resumeAt?: number | undefined;
}

export interface Outbox {
  /** Resolves once entries saved by an earlier page load are back in memory. */
  ready: Promise<void>;
  subscribe(listener: () => void): () => void;
  getSnapshot(): readonly OutboxEntry[];
  add(entry: OutboxEntry): void;
  update(clientId: string, patch: Partial<OutboxEntry>): void;
  remove(clientId: string): void;
}

/**
 * Unsent messages, in memory for rendering and in IndexedDB so they survive a reload. Every write is a
 * read-modify-write inside one IndexedDB transaction (idb-keyval `update`), so tabs of the same user
 * never overwrite each other's entries.
 */
export function createOutbox(userId: number): Outbox {
  const key = outboxKey(userId);
  let entries: readonly OutboxEntry[] = [];
  const listeners = new Set<() => void>();

  function setEntries(next: readonly OutboxEntry[]) {
    entries = next;
    for (const listener of listeners) listener();
  }

  function persist(change: (stored: OutboxEntry[]) => OutboxEntry[]) {
    update<OutboxEntry[]>(key, (stored) => change(stored ?? [])).catch(() => {
      // Without IndexedDB (private mode) the outbox still works for this page load.
    });
  }

  const ready = get<OutboxEntry[]>(key)
    .then((saved) => {
      if (!saved?.length) return;
      const known = new Set(entries.map((entry) => entry.clientId));
      // A send that was in flight when the page went away is simply due again.
      const restored = saved
        .filter((entry) => !known.has(entry.clientId))
        .map((entry) => (entry.status === 'sending' ? { ...entry, status: 'waiting' as const } : entry));
      setEntries([...restored, ...entries]);
    })
    .catch(() => {});

  return {
    ready,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => entries,
    add(entry) {
      setEntries([...entries, entry]);
      persist((stored) => [...stored.filter((e) => e.clientId !== entry.clientId), entry]);
    },
    update(clientId, patch) {
      if (!entries.some((entry) => entry.clientId === clientId)) return;
      setEntries(entries.map((entry) => (entry.clientId === clientId ? { ...entry, ...patch } : entry)));
      persist((stored) => stored.map((entry) => (entry.clientId === clientId ? { ...entry, ...patch } : entry)));
    },
    remove(clientId) {
      if (entries.some((entry) => entry.clientId === clientId)) {
        setEntries(entries.filter((entry) => entry.clientId !== clientId));
      }
      persist((stored) => stored.filter((entry) => entry.clientId !== clientId));
    },
  };
}

/**
 * Deletes this user's unsent messages from the device (on a deliberate sign-out). A send still in
 * flight only removes or patches entries, so it cannot bring the list back.
 */
export function clearOutbox(userId: number): Promise<void> {
  return del(outboxKey(userId)).catch(() => {});
}

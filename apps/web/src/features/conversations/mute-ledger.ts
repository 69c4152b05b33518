import type { Conversation } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';

/**
 * My mute changes, numbered as they are applied, per query client. Mute is mine alone, so it is not
 * in the conversation's sequence: a summary fetched before a change carries the same `seq` as one
 * fetched after it, and cannot be told from it. A fetch that started before a change keeps the change
 * (the resync a page load starts when its socket connects races the first click on Mute).
 */
const ledgers = new WeakMap<QueryClient, { count: number; changes: Map<number, { muted: boolean; at: number }> }>();

function ledgerOf(queryClient: QueryClient) {
  let ledger = ledgers.get(queryClient);
  if (!ledger) {
    ledger = { count: 0, changes: new Map() };
    ledgers.set(queryClient, ledger);
  }
  return ledger;
}

export function recordMute(queryClient: QueryClient, conversationId: number, muted: boolean): void {
  const ledger = ledgerOf(queryClient);
  ledger.count += 1;
  ledger.changes.set(conversationId, { muted, at: ledger.count });
}

/** A mark to take before fetching summaries: `keepNewerMutes` then knows which changes came after. */
export function muteMark(queryClient: QueryClient): number {
  return ledgerOf(queryClient).count;
}

/** A summary fetched since `mark`, with a mute change made meanwhile kept over the fetched setting. */
export function keepNewerMute(queryClient: QueryClient, fetched: Conversation, mark: number): Conversation {
  const change = ledgerOf(queryClient).changes.get(fetched.id);
  return change && change.at > mark && change.muted !== fetched.muted ? { ...fetched, muted: change.muted } : fetched;
}

export function keepNewerMutes(queryClient: QueryClient, fetched: Conversation[], mark: number): Conversation[] {
  return fetched.map((c) => keepNewerMute(queryClient, c, mark));
}

import type { Conversation, ConversationEvent, ConversationsResponse, EventsResponse } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import {
  applyToSummary,
  conversationDetailsKey,
  conversationQuery,
  conversationsQuery,
  keepNewerMutes,
  mergeSummaries,
  muteMark,
} from '../conversations/index.ts';
import { type MessageWindow, messagesQuery, messageWindowsKey } from './api.ts';
import { applyToWindow } from './window-events.ts';

/**
 * - `applied`: something held was due this event and now reflects it;
 * - `stale`: everything held already reflects it (a duplicate, or replayed by a catch-up);
 * - `gap`: something held is further behind: the events in between must be fetched first;
 * - `unknown`: the conversation is not in the sidebar (a `conversation:new` was missed).
 */
export type ApplyResult = 'applied' | 'stale' | 'gap' | 'unknown';

type Due = 'due' | 'stale' | 'gap';
function due(heldSeq: number, seq: number): Due {
  if (seq <= heldSeq) return 'stale';
  return seq === heldSeq + 1 ? 'due' : 'gap';
}

/**
 * The one way a sequenced event reaches the cache, live or from a catch-up. Each thing held knows the
 * `seq` it reflects: a conversation's summary in the sidebar (its `seq`, from the server) and its loaded
 * history (the window's `seq`). An event at or below it is dropped, the next one is applied and moves
 * it, one further ahead is a gap. The open conversation's detail follows `conversation:updated`.
 */
export function applyEvent(queryClient: QueryClient, event: ConversationEvent, meId: number): ApplyResult {
  const { conversationId, seq } = event.payload;
  let applied = false;
  let gap = false;

  const windowKey = messagesQuery(conversationId).queryKey;
  const window = queryClient.getQueryData(windowKey);
  const listKey = conversationsQuery().queryKey;
  const list = queryClient.getQueryData(listKey);
  const summary = list?.find((c) => c.id === conversationId);

  if (summary) {
    const state = due(summary.seq, seq);
    if (state === 'due') {
      const held = (id: number) => window?.messages.find((m) => m.id === id);
      const next = applyToSummary(summary, event, meId, held);
      queryClient.setQueryData(listKey, (current) =>
        current
          ? moveToItsPlace(
              current.map((c) => (c.id === conversationId ? next : c)),
              next,
            )
          : current,
      );
      applied = true;
    } else if (state === 'gap') gap = true;
  }

  if (window) {
    const state = due(window.seq, seq);
    if (state === 'due') {
      queryClient.setQueryData(windowKey, { ...applyToWindow(window, event), seq });
      applied = true;
    } else if (state === 'gap') gap = true;
  }

  if (event.type === 'conversation:updated') {
    const next = event.payload.conversation;
    queryClient.setQueryData(conversationQuery(conversationId).queryKey, (current) =>
      !current || next.seq >= current.seq ? next : current,
    );
  }

  if (gap) return 'gap';
  if (list && !summary) return 'unknown';
  return applied ? 'applied' : 'stale';
}

/** Newest activity first; only the changed entry can have moved. */
function moveToItsPlace(list: Conversation[], changed: Conversation): Conversation[] {
  const others = list.filter((c) => c.id !== changed.id);
  const at = others.findIndex(
    (c) =>
      c.lastActivityAt < changed.lastActivityAt || (c.lastActivityAt === changed.lastActivityAt && c.id < changed.id),
  );
  others.splice(at === -1 ? others.length : at, 0, changed);
  return others;
}

/** Where a catch-up of a conversation starts: the furthest behind of what is held (undefined: nothing). */
function heldSeq(queryClient: QueryClient, conversationId: number): number | undefined {
  const window = queryClient.getQueryData(messagesQuery(conversationId).queryKey);
  const summary = queryClient.getQueryData(conversationsQuery().queryKey)?.find((c) => c.id === conversationId);
  const seqs = [window?.seq, summary?.seq].filter((seq): seq is number => seq !== undefined);
  return seqs.length > 0 ? Math.min(...seqs) : undefined;
}

export interface ConversationSync {
  /** A live event: applied, or, after a gap, everything missing is fetched and applied first. */
  receive(event: ConversationEvent): ApplyResult;
  /** Fetches and applies every change after what is held (`events?after=`, page by page). */
  catchUp(conversationId: number): Promise<void>;
  /** After a reconnect: the list again, then every held conversation whose `seq` moved is caught up. */
  resync(): Promise<void>;
}

export interface SyncOptions {
  meId: number;
  fetchEvents?: (conversationId: number, after: number) => Promise<EventsResponse>;
  fetchConversations?: () => Promise<Conversation[]>;
  /** A conversation's sidebar entry is missing: a `conversation:new` was missed. */
  onUnknown?: (conversationId: number) => void;
}

const MAX_PAGES = 50;

const defaultFetchEvents = (conversationId: number, after: number) =>
  api<EventsResponse>(`/conversations/${conversationId}/events?after=${after}&limit=500`);
const defaultFetchConversations = async () => (await api<ConversationsResponse>('/conversations')).conversations;

/**
 * The catch-ups of one signed-in session. At most one runs per conversation; a gap found while it runs
 * makes it go round once more from where it ended, so nothing is fetched twice.
 */
export function createConversationSync(queryClient: QueryClient, options: SyncOptions): ConversationSync {
  const { meId, fetchEvents = defaultFetchEvents, fetchConversations = defaultFetchConversations } = options;
  const running = new Map<number, { again: boolean; task: Promise<void> }>();

  async function run(conversationId: number) {
    for (let page = 0; page < MAX_PAGES; page++) {
      const after = heldSeq(queryClient, conversationId);
      if (after === undefined) return;
      const { events, hasMore } = await fetchEvents(conversationId, after);
      for (const event of events) applyEvent(queryClient, event, meId);
      const entry = running.get(conversationId);
      if (hasMore) continue;
      if (!entry?.again) return;
      entry.again = false;
    }
  }

  function catchUp(conversationId: number): Promise<void> {
    const current = running.get(conversationId);
    if (current) {
      current.again = true;
      return current.task;
    }
    const entry = { again: false, task: Promise.resolve() };
    entry.task = run(conversationId).finally(() => running.delete(conversationId));
    running.set(conversationId, entry);
    return entry.task;
  }

  function receive(event: ConversationEvent): ApplyResult {
    const result = applyEvent(queryClient, event, meId);
    if (result === 'gap') void catchUp(event.payload.conversationId).catch(() => {});
    if (result === 'unknown') options.onUnknown?.(event.payload.conversationId);
    return result;
  }

  async function resync() {
    // A list fetch already under way read the server earlier: it lands first, and this one on top.
    await queryClient
      .getQueryCache()
      .find({ queryKey: conversationsQuery().queryKey, exact: true })
      ?.promise?.catch(() => {});
    const mark = muteMark(queryClient);
    const fetched = keepNewerMutes(queryClient, await fetchConversations(), mark);
    queryClient.setQueryData(conversationsQuery().queryKey, (held) => mergeSummaries(held, fetched));
    const byId = new Map(fetched.map((c) => [c.id, c]));
    for (const query of queryClient.getQueryCache().findAll({ queryKey: conversationDetailsKey })) {
      const id = query.queryKey[1];
      const server = typeof id === 'number' ? byId.get(id) : undefined;
      if (server) {
        queryClient.setQueryData(conversationQuery(server.id).queryKey, (current) =>
          !current || server.seq >= current.seq ? server : current,
        );
      }
    }
    const tasks: Promise<void>[] = [];
    for (const query of queryClient.getQueryCache().findAll({ queryKey: messageWindowsKey })) {
      const window = query.state.data as MessageWindow | undefined;
      const id = query.queryKey[1];
      if (!window || typeof id !== 'number') continue;
      const server = byId.get(id);
      // Removed from it while away: its history is no longer ours to show.
      if (!server) queryClient.removeQueries({ queryKey: query.queryKey, exact: true });
      else if (server.seq > window.seq) tasks.push(catchUp(id));
    }
    await Promise.all(tasks);
  }

  return { receive, catchUp, resync };
}

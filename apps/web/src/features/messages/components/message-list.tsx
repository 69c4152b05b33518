import type { Conversation, Message } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { Spinner } from '../../../components/spinner.tsx';
import { isSameDay } from '../../../lib/format-time.ts';
import { useRealtime } from '../../../lib/realtime-context.ts';
import { useMe } from '../../auth/index.ts';
import type { MessageWindow } from '../api.ts';
import { loadOlder } from '../cache.ts';
import { useSeenTracker } from '../hooks/use-seen-tracker.ts';
import type { OutboxEntry } from '../outbox.ts';
import { useOutboxSender } from '../outbox-provider.tsx';
import { DaySeparator, MessageRow, PendingRow } from './message-row.tsx';
import { SystemEntryRow } from './system-entry-row.tsx';

type Row =
  | { kind: 'start'; key: string }
  | { kind: 'message'; key: string; message: Message; newDay: boolean }
  | { kind: 'pending'; key: string; entry: OutboxEntry };

export interface MessageListHandle {
  scrollToEnd(): void;
}

interface MessageListProps {
  conversation: Conversation;
  window: MessageWindow;
  pending: OutboxEntry[];
}

// Load the previous page while this many pixels of history are still above the viewport.
const LOAD_OLDER_MARGIN_PX = 800;
const AT_END_PX = 48;

/**
 * The history, windowed: only rows near the viewport are in the DOM, so a 10,000-message conversation
 * costs the same as a short one. The virtualizer anchors to the end: it opens at the bottom, follows new
 * messages while the reader is at the bottom, and keeps the reader's row in place when older pages are
 * prepended above it.
 */
export const MessageList = forwardRef<MessageListHandle, MessageListProps>(function MessageList(
  { conversation, window: history, pending },
  ref,
) {
  const me = useMe();
  const queryClient = useQueryClient();
  const sender = useOutboxSender();
  const { reading } = useRealtime();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState(false);
  const [atEnd, setAtEnd] = useState(true);
  const track = useSeenTracker(conversation.id, me.id, scrollRef);

  const rows = useMemo<Row[]>(() => {
    const result: Row[] = [];
    if (!history.hasOlder) result.push({ kind: 'start', key: 'start' });
    const confirmedClientIds = new Set<string>();
    let previous: Message | undefined;
    for (const message of history.messages) {
      if (message.clientId) confirmedClientIds.add(message.clientId);
      const newDay = !previous || !isSameDay(previous.createdAt, message.createdAt);
      result.push({ kind: 'message', key: `m${message.id}`, message, newDay });
      previous = message;
    }
    for (const entry of pending) {
      // The socket may confirm a send a moment before the outbox forgets it: never show both.
      if (!confirmedClientIds.has(entry.clientId)) result.push({ kind: 'pending', key: `p${entry.clientId}`, entry });
    }
    return result;
  }, [history, pending]);

  // Receipts go under the latest of my messages that anyone has seen.
  const seenByRowId = useMemo(() => {
    for (let i = history.messages.length - 1; i >= 0; i--) {
      const message = history.messages[i];
      if (message && message.sender.id === me.id && message.seenBy.length > 0) return message.id;
    }
    return null;
  }, [history.messages, me.id]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 76,
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 6,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_PX,
    useFlushSync: false,
  });

  useImperativeHandle(ref, () => ({ scrollToEnd: () => virtualizer.scrollToEnd() }), [virtualizer]);

  // Open at the newest message.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per conversation.
  useEffect(() => {
    virtualizer.scrollToEnd();
    reading.setAtBottom(true);
  }, [conversation.id]);

  const requestOlder = useCallback(() => {
    if (loadingOlder || !history.hasOlder) return;
    setLoadingOlder(true);
    setOlderError(false);
    loadOlder(queryClient, conversation.id)
      .catch(() => setOlderError(true))
      .finally(() => setLoadingOlder(false));
  }, [loadingOlder, history.hasOlder, queryClient, conversation.id]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const end = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_END_PX;
    reading.setAtBottom(end);
    setAtEnd(end);
    if (el.scrollTop < LOAD_OLDER_MARGIN_PX && !olderError) requestOlder();
  }, [reading, requestOlder, olderError]);

  // A short first page may not fill the screen, so no scroll would ever ask for more.
  useEffect(() => {
    const el = scrollRef.current;
    if (el && history.hasOlder && el.scrollHeight <= el.clientHeight + LOAD_OLDER_MARGIN_PX && !olderError) {
      requestOlder();
    }
  }, [history.hasOlder, requestOlder, olderError]);

  const onRetry = useCallback((clientId: string) => sender.retry(clientId), [sender]);
  const onDiscard = useCallback((clientId: string) => sender.discard(clientId), [sender]);
  const items = virtualizer.getVirtualItems();

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scrollRef}
        role="log"
        aria-label="Messages"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it.
        tabIndex={0}
        onScroll={onScroll}
        className="h-full overflow-y-auto overscroll-contain focus-visible:outline-offset-[-2px]"
      >
        <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className="absolute top-0 left-0 w-full"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {row.kind === 'start' ? (
                  <p className="px-4 pt-6 pb-2 text-center text-xs text-muted">
                    {history.messages.length === 0 && pending.length === 0
                      ? conversation.closedAt
                        ? 'No messages were sent in this conversation.'
                        : 'No messages yet. Say hello!'
                      : `This is the beginning of “${conversation.title}”.`}
                  </p>
                ) : row.kind === 'message' ? (
                  <>
                    {row.newDay ? <DaySeparator iso={row.message.createdAt} /> : null}
                    {row.message.kind === 'system' ? (
                      <SystemEntryRow message={row.message} members={conversation.members} />
                    ) : (
                      <MessageRow
                        message={row.message}
                        own={row.message.sender.id === me.id}
                        showSeenBy={row.message.id === seenByRowId}
                        members={conversation.members}
                        track={
                          row.message.sender.id !== me.id && !row.message.seenBy.some((s) => s.userId === me.id)
                            ? track
                            : undefined
                        }
                        mentionsMe={row.message.mentions.includes(me.id)}
                      />
                    )}
                  </>
                ) : (
                  <PendingRow entry={row.entry} nickname={me.nickname} onRetry={onRetry} onDiscard={onDiscard} />
                )}
              </div>
            );
          })}
        </div>
      </div>

      {loadingOlder ? (
        <div className="pointer-events-none absolute top-2 left-1/2 -translate-x-1/2 rounded-full border border-line bg-surface px-3 py-1 shadow-sm">
          <Spinner label="Loading earlier messages…" />
        </div>
      ) : null}
      {olderError ? (
        <div className="absolute top-2 left-1/2 -translate-x-1/2">
          <button
            type="button"
            onClick={() => {
              setOlderError(false);
              requestOlder();
            }}
            className="rounded-full border border-line bg-surface px-3 py-1 text-sm shadow-sm hover:bg-surface-2"
          >
            Couldn't load earlier messages. Retry
          </button>
        </div>
      ) : null}
      {!atEnd ? (
        <button
          type="button"
          onClick={() => virtualizer.scrollToEnd({ behavior: 'smooth' })}
          className="absolute right-4 bottom-3 rounded-full border border-line bg-surface px-3 py-1.5 text-sm font-medium shadow-md hover:bg-surface-2"
        >
          ↓ Latest
        </button>
      ) : null}
    </div>
  );
});

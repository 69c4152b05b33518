import type { Conversation } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  forwardRef,
  startTransition,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Spinner } from '../../../components/spinner.tsx';
import { toast } from '../../../components/toasts/toasts.tsx';
import { useMe } from '../../auth/index.ts';
import { type MessageWindow, messagesQuery } from '../api.ts';
import { loadOlder } from '../cache.ts';
import { useConversationUi } from '../conversation-ui.tsx';
import { firstUnread, historyRows, unreadByMe } from '../history-rows.ts';
import { useSeenTracker } from '../hooks/use-seen-tracker.ts';
import { loadThrough } from '../load-through.ts';
import type { OutboxEntry } from '../outbox.ts';
import { useOutboxSender } from '../outbox-provider.tsx';
import { DaySeparator, MessageRow, PendingRow, SystemRow } from './message-row.tsx';
import { measureFromObserver, observeRectAfterLayout, scrollAfterFirstFrame } from './virtual-after-layout.ts';

export interface MessageListHandle {
  scrollToEnd(): void;
  /** Scrolls to a message, loading the history back to it if need be, and highlights it. */
  jumpTo(messageId: number): void;
  /** Scrolls a held message into view, nothing more. */
  reveal(messageId: number): void;
}

// Opening at the first unread message loads the pages back to it (100 each), for a backlog up to this
// long; a longer one opens at the newest message, as it would be read from the end.
const UNREAD_OPEN_MAX = 300;
const UNREAD_PAGES_MAX = 3;

interface MessageListProps {
  conversation: Conversation;
  window: MessageWindow;
  pending: OutboxEntry[];
  /** A message to open at (`/c/<id>?message=<id>`, a search result) instead of the unread or newest ones. */
  openAt?: number | undefined;
}

// Load the previous page while this many pixels of history are still above the viewport.
const LOAD_OLDER_MARGIN_PX = 800;
const ROW_ESTIMATE_PX = 76;
const OVERSCAN_ROWS = 6;
// The app's header, the conversation's header and the composer, about: what the window gives the history.
const BARS_PX = 190;
const listHeightEstimate = () => Math.max(4 * ROW_ESTIMATE_PX, window.innerHeight - BARS_PX);
const AT_END_PX = 48;

/**
 * The history, windowed: only rows near the viewport are in the DOM, so a 10,000-message conversation
 * costs the same as a short one. The virtualizer anchors to the end: it opens at the bottom, follows new
 * messages while the reader is at the bottom, and keeps the reader's row in place when older pages are
 * prepended above it.
 */
export const MessageList = forwardRef<MessageListHandle, MessageListProps>(function MessageList(
  { conversation, window: history, pending, openAt },
  ref,
) {
  const me = useMe();
  const queryClient = useQueryClient();
  const sender = useOutboxSender();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState(false);
  const [atEnd, setAtEnd] = useState(true);
  const track = useSeenTracker(conversation.id, me.id, scrollRef);
  const ui = useConversationUi();
  // Fixed when the conversation opens, so it does not move as messages become seen.
  const [unreadAnchor, setUnreadAnchor] = useState<number | null | undefined>(() =>
    conversation.unreadCount > UNREAD_OPEN_MAX ? null : firstUnread(history, me.id),
  );
  const [highlightId, setHighlightId] = useState<number | null>(null);
  // Whether to keep the newest message in view as rows come and go (a send, a catch-up, a reconnect).
  const following = useRef(true);

  const rows = useMemo(
    () => historyRows(history, pending, me.id, unreadAnchor),
    [history, pending, unreadAnchor, me.id],
  );

  // Receipts go under the latest of my messages that anyone has seen.
  const seenByRowId = useMemo(() => {
    for (let i = history.messages.length - 1; i >= 0; i--) {
      const message = history.messages[i];
      if (message && message.sender.id === me.id && message.seenBy.length > 0) return message.id;
    }
    return null;
  }, [history.messages, me.id]);

  // The first paint renders the rows in view; the rows kept ready above and below for scrolling follow in
  // a transition right after it.
  const [buffered, setBuffered] = useState(false);
  useEffect(() => startTransition(() => setBuffered(true)), []);

  const [scrollToFn] = useState(scrollAfterFirstFrame);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    // The first render already holds the rows where the history opens, in a list as tall as the window less
    // the bars above and below it. Without a size and an offset it renders the oldest rows, which the opening
    // below then replaces in a second, synchronous render: twice the work, and a long task, on every visit.
    initialRect: { width: window.innerWidth, height: listHeightEstimate() },
    initialOffset: () => {
      const estimate = (row: number) => row * ROW_ESTIMATE_PX;
      const target =
        openAt !== undefined
          ? rows.findIndex((row) => row.kind === 'message' && row.message.id === openAt)
          : rows.findIndex((row) => row.kind === 'unread');
      if (target === -1) return Math.max(0, estimate(rows.length) - listHeightEstimate());
      return Math.max(0, estimate(target) - (openAt !== undefined ? listHeightEstimate() / 2 : 0));
    },
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: buffered ? OVERSCAN_ROWS : 1,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_PX,
    // Sizes measured by the ResizeObserver move the rows and size the list right in its callback, before
    // the frame is painted, rather than in a React render after it (ADR 054).
    directDomUpdates: true,
    // A change of the range re-renders at once when it moved the scroll position (a measurement above the
    // fold, a scroll), as the library does by default: rows that leave the range leave before the paint.
    useFlushSync: true,
    measureElement: measureFromObserver,
    observeElementRect: observeRectAfterLayout,
    scrollToFn,
  });

  const scrollToEnd = useCallback(() => {
    following.current = true;
    virtualizer.scrollToEnd();
  }, [virtualizer]);

  // Read through a ref, so the callbacks handed to every row stay the same and memoised rows do not re-render.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const indexOf = useCallback(
    (messageId: number) => rowsRef.current.findIndex((row) => row.kind === 'message' && row.message.id === messageId),
    [],
  );

  // Focus follows, for keyboard and screen reader users, once the row is rendered there: after the
  // scroll, in a later render of the virtualizer (on a busy machine, not always the next frame).
  const pendingFocus = useRef<number | null>(null);
  useEffect(() => {
    const id = pendingFocus.current;
    const row = id === null ? null : scrollRef.current?.querySelector<HTMLElement>(`article[data-message-id="${id}"]`);
    if (!row) return;
    pendingFocus.current = null;
    row.focus({ preventScroll: true });
  });
  const highlight = useCallback(
    (messageId: number) => {
      const index = indexOf(messageId);
      if (index === -1) return false;
      following.current = false;
      virtualizer.scrollToIndex(index, { align: 'center' });
      setHighlightId(messageId);
      pendingFocus.current = messageId;
      return true;
    },
    [indexOf, virtualizer],
  );

  const pendingJump = useRef<number | null>(null);
  const jumpTo = useCallback(
    (messageId: number) => {
      if (highlight(messageId)) return;
      loadThrough(queryClient, conversation.id, messageId)
        .then((found) => {
          if (found) pendingJump.current = messageId;
          else toast.error("Couldn't find that message.");
        })
        .catch(() => toast.error("Couldn't load that message."));
    },
    [highlight, queryClient, conversation.id],
  );
  // A message loaded by jumpTo is in the rows on the next render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the rows change.
  useEffect(() => {
    const id = pendingJump.current;
    if (id !== null && highlight(id)) pendingJump.current = null;
  }, [rows, highlight]);

  useEffect(() => {
    if (highlightId === null) return;
    const timer = window.setTimeout(() => setHighlightId(null), 2_500);
    return () => window.clearTimeout(timer);
  }, [highlightId]);

  const reveal = useCallback(
    (messageId: number) => {
      const index = indexOf(messageId);
      if (index === -1) return;
      following.current = false;
      virtualizer.scrollToIndex(index, { align: 'auto' });
    },
    [indexOf, virtualizer],
  );

  useImperativeHandle(ref, () => ({ scrollToEnd, jumpTo, reveal }), [scrollToEnd, jumpTo, reveal]);

  // What needs the list's layout before its first paint (where it opens, whether it fills the screen) waits
  // for the next animation frame: read in an effect, it would be computed inside React's commit (ADR 054).
  // Not cancelled on unmount but skipped, so that StrictMode's trial unmount does not lose it.
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const afterLayout = useCallback((read: () => void) => {
    requestAnimationFrame(() => mounted.current && read());
  }, []);

  // Opening: with unread messages, at the first of them (loading older pages back to it); else at the newest.
  const opened = useRef(false);
  const unreadPages = useRef(0);
  // Opening at a given message (and moving to another when the link changes) goes first: it replaces
  // the opening below, which then has nothing left to do.
  const openedAt = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (openAt === undefined || openedAt.current === openAt) return;
    openedAt.current = openAt;
    opened.current = true;
    afterLayout(() => jumpTo(openAt));
  }, [openAt, jumpTo, afterLayout]);
  useEffect(() => {
    if (opened.current) return;
    if (unreadAnchor === undefined) {
      if (unreadPages.current >= UNREAD_PAGES_MAX || !history.hasOlder) {
        setUnreadAnchor(history.hasOlder ? null : (history.messages.find((m) => unreadByMe(m, me.id))?.id ?? null));
        return;
      }
      unreadPages.current += 1;
      loadOlder(queryClient, conversation.id)
        .then(() => {
          const next = queryClient.getQueryData(messagesQuery(conversation.id).queryKey);
          if (next) setUnreadAnchor(firstUnread(next, me.id));
        })
        .catch(() => setUnreadAnchor(null));
      return;
    }
    opened.current = true;
    const unreadIndex = () => (unreadAnchor === null ? -1 : rowsRef.current.findIndex((row) => row.kind === 'unread'));
    following.current = unreadIndex() === -1;
    // The first render already opened there (initialOffset); what is left is to keep it there as rows get
    // their real sizes, which needs the list's layout.
    afterLayout(() => {
      const index = unreadIndex();
      if (index === -1) scrollToEnd();
      else virtualizer.scrollToIndex(index, { align: 'start' });
    });
  }, [unreadAnchor, history, me.id, queryClient, conversation.id, virtualizer, scrollToEnd, afterLayout]);

  // While following, every change of the rows (a send confirmed, a catch-up after a reconnect, an
  // edit that changes a height) ends with the newest message in view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the rows change.
  useLayoutEffect(() => {
    if (!opened.current || !following.current) return;
    virtualizer.scrollToEnd();
    const frame = requestAnimationFrame(() => following.current && virtualizer.scrollToEnd());
    return () => cancelAnimationFrame(frame);
  }, [rows]);

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
    following.current = end;
    setAtEnd(end);
    if (el.scrollTop < LOAD_OLDER_MARGIN_PX && !olderError) requestOlder();
  }, [requestOlder, olderError]);

  // A short first page may not fill the screen, so no scroll would ever ask for more; checked again when a
  // page has loaded. Through a ref: by the frame, a scroll may have started loading, which the current
  // requestOlder knows.
  const requestOlderRef = useRef(requestOlder);
  requestOlderRef.current = requestOlder;
  useEffect(() => {
    if (!history.hasOlder || olderError || loadingOlder) return;
    afterLayout(() => {
      const el = scrollRef.current;
      if (el && el.scrollHeight <= el.clientHeight + LOAD_OLDER_MARGIN_PX) requestOlderRef.current();
    });
  }, [history.hasOlder, loadingOlder, olderError, afterLayout]);

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
        {/* The virtualizer sets the list's height and each row's transform itself (directDomUpdates). */}
        <div ref={virtualizer.containerRef} className="relative w-full">
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className="absolute top-0 left-0 w-full"
              >
                {row.kind === 'start' ? (
                  <p className="px-4 pt-6 pb-2 text-center text-xs text-muted">
                    {history.messages.length === 0 && pending.length === 0
                      ? conversation.closedAt
                        ? 'No messages were sent in this conversation.'
                        : 'No messages yet. Say hello!'
                      : `This is the beginning of “${conversation.title}”.`}
                  </p>
                ) : row.kind === 'unread' ? (
                  <div className="flex items-center gap-3 px-4 pt-3 pb-1 text-xs font-semibold text-danger">
                    <span className="h-px flex-1 bg-danger/50" aria-hidden="true" />
                    <span>New messages</span>
                    <span className="h-px flex-1 bg-danger/50" aria-hidden="true" />
                  </div>
                ) : row.kind === 'message' ? (
                  <>
                    {row.newDay ? <DaySeparator iso={row.message.createdAt} /> : null}
                    {row.message.kind === 'system' ? (
                      <SystemRow message={row.message} members={conversation.members} />
                    ) : (
                      <MessageRow
                        message={row.message}
                        meId={me.id}
                        grouped={row.grouped}
                        showSeenBy={row.message.id === seenByRowId}
                        members={conversation.members}
                        open={conversation.closedAt === null}
                        owner={conversation.kind === 'group' && conversation.ownerId === me.id}
                        editing={ui.editingId === row.message.id}
                        highlighted={row.message.id === highlightId}
                        onJump={jumpTo}
                        track={unreadByMe(row.message, me.id) ? track : undefined}
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
          onClick={() => {
            following.current = true;
            virtualizer.scrollToEnd({ behavior: 'smooth' });
          }}
          className="absolute right-4 bottom-3 rounded-full border border-line bg-surface px-3 py-1.5 text-sm font-medium shadow-md hover:bg-surface-2"
        >
          ↓ Latest
        </button>
      ) : null}
    </div>
  );
});

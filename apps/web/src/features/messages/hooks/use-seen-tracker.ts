import { useQueryClient } from '@tanstack/react-query';
import { type RefObject, useCallback, useEffect, useRef } from 'react';
import { isTransientError } from '../../../lib/api-client.ts';
import { pageIsLookedAt } from '../../../lib/page-is-looked-at.ts';
import { postSeen } from '../api.ts';
import { showOwnSeen } from '../cache.ts';

const BATCH_MS = 300;
/** A failed `seen` is tried again after 1 s, 2 s, 4 s … up to 30 s. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * A message counts as seen once it has been on screen in a focused, visible tab. Rows of unseen messages
 * from others register with `track`; the highest such id on screen is sent in one batched
 * `POST …/seen` (which marks everything up to it).
 */
export function useSeenTracker(conversationId: number, userId: number, root: RefObject<HTMLElement | null>) {
  const queryClient = useQueryClient();
  const onScreen = useRef(new Set<number>());
  const elements = useRef(new Set<HTMLElement>());
  const observer = useRef<IntersectionObserver | null>(null);
  const sent = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  const lastSentAt = useRef(0);
  const failures = useRef(0);
  const alive = useRef(true);

  const send = useCallback(() => {
    timer.current = undefined;
    if (!pageIsLookedAt() || onScreen.current.size === 0) return;
    const upTo = Math.max(...onScreen.current);
    if (upTo <= sent.current) return;
    const previous = sent.current;
    sent.current = upTo;
    lastSentAt.current = Date.now();
    postSeen(conversationId, upTo)
      .then(({ messageIds, seenAt }) => {
        failures.current = 0;
        // The socket echoes this as `message:seen`; patching now keeps the UI right without it.
        showOwnSeen(queryClient, { conversationId, userId, messageIds, seenAt });
      })
      .catch((error: unknown) => {
        // A later, higher send may already be under way; it covers this one.
        if (sent.current === upTo) sent.current = previous;
        // Try again with a backoff (a permanent refusal, e.g. no longer a member, is not retried;
        // the next scroll or focus still tries). A scroll or focus meanwhile waits for this timer.
        if (!alive.current || !isTransientError(error) || timer.current !== undefined) return;
        const delay = Math.min(RETRY_BASE_MS * 2 ** failures.current, RETRY_MAX_MS);
        failures.current += 1;
        timer.current = window.setTimeout(send, delay);
      });
  }, [conversationId, userId, queryClient]);

  // Leading edge: a message that comes into view after a quiet moment is reported at once (so its
  // unread count, which only the server's receipt takes off, is gone before anyone sees it); what
  // follows within BATCH_MS, a scroll, is reported together.
  const schedule = useCallback(() => {
    if (timer.current !== undefined) return;
    const wait = lastSentAt.current + BATCH_MS - Date.now();
    if (wait <= 0) send();
    else timer.current = window.setTimeout(send, wait);
  }, [send]);

  useEffect(() => {
    alive.current = true;
    const io = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const id = Number((entry.target as HTMLElement).dataset.messageId);
          const rootHeight = entry.rootBounds?.height ?? Number.POSITIVE_INFINITY;
          // Half the message, or half the screen for one taller than that.
          const visible =
            entry.isIntersecting && (entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= rootHeight / 2);
          if (visible) onScreen.current.add(id);
          else onScreen.current.delete(id);
        }
        schedule();
      },
      { root: root.current, threshold: [0, 0.5, 1] },
    );
    observer.current = io;
    for (const element of elements.current) io.observe(element);
    // Messages already on screen become seen when the person comes back to the tab.
    window.addEventListener('focus', schedule);
    document.addEventListener('visibilitychange', schedule);
    return () => {
      alive.current = false;
      io.disconnect();
      observer.current = null;
      window.removeEventListener('focus', schedule);
      document.removeEventListener('visibilitychange', schedule);
      window.clearTimeout(timer.current);
      timer.current = undefined;
    };
  }, [root, schedule]);

  /** A callback ref for a row that still needs to be seen. */
  const track = useCallback((element: HTMLElement | null) => {
    if (!element) return;
    elements.current.add(element);
    observer.current?.observe(element);
    return () => {
      elements.current.delete(element);
      observer.current?.unobserve(element);
      onScreen.current.delete(Number(element.dataset.messageId));
    };
  }, []);

  return track;
}

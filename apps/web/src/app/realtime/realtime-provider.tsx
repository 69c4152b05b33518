import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { meQuery } from '../../features/auth/index.ts';
import { type ConversationSync, useOutboxSender } from '../../features/messages/index.ts';
import { createNotifier } from '../../features/notifications/index.ts';
import { reportAttention, resyncThisDevice } from '../../features/push/index.ts';
import { presenceQuery } from '../../features/users/index.ts';
import { ConnectionContext, type ConnectionState, type Realtime, RealtimeContext } from '../../lib/realtime-context.ts';
import type { AppSocket } from '../../lib/socket.ts';
import { registerHandlers } from './handlers.ts';
import { createReading } from './reading.ts';

const TYPING_THROTTLE_MS = 2_000;
// A first connection usually takes a few hundred ms; only a longer wait is worth a "Reconnecting…".
const CONNECTING_GRACE_MS = 2_000;

/**
 * The one socket of a signed-in session: connects on mount (sign-in), disconnects on unmount (sign-out).
 * This is the app's wiring, not a feature: it composes the features' cache patches, and gives components
 * what they need of it through lib/realtime-context.ts.
 */
export function RealtimeProvider({
  userId,
  sync,
  children,
}: {
  userId: number;
  sync: ConversationSync;
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  const sender = useOutboxSender();
  const navigate = useNavigate();
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const [connection, setConnectionNow] = useState<ConnectionState>('connecting');
  // A transition: the first `connect` comes while the page is still building its first screen, and an
  // urgent update there renders all of that work at once, in one long task (ADR 060). A status line can wait
  // for the slices.
  const setConnection = useCallback((state: ConnectionState) => startTransition(() => setConnectionNow(state)), []);
  const [reading] = useState(createReading);
  const socketRef = useRef<AppSocket | null>(null);
  const lastTyping = useRef(new Map<number, number>());

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    let retryImport: number | undefined;
    /** Wires one socket to the caches and the notifier and connects it; returns what undoes that. */
    function connect(socket: AppSocket): () => void {
      socketRef.current = socket;
      const notifier = createNotifier({
        userId,
        isViewing: (conversationId) =>
          document.visibilityState === 'visible' && reading.current().conversationId === conversationId,
        open: (conversationId) => void navigateRef.current(`/c/${conversationId}`),
      });
      const unregister = registerHandlers(socket, {
        queryClient,
        userId,
        sender,
        notifier,
        sync,
        left: (conversationId) => {
          if (reading.current().conversationId === conversationId) void navigateRef.current('/', { replace: true });
        },
      });

      const stopReportingAttention = reportAttention(socket);
      void resyncThisDevice().catch(() => {});

      const grace = window.setTimeout(() => {
        if (!socket.connected) setConnection('down');
      }, CONNECTING_GRACE_MS);
      let retry: number | undefined;

      socket.on('connect', () => {
        setConnection('connected');
        // Whatever happened before this socket was in its rooms: the list again, then every held
        // conversation whose seq moved is caught up from the event log, through the same applyEvent
        // as live events. On the first connection too: data read before the socket joined its rooms
        // misses what was committed in between (a receipt marked while the socket connected, say),
        // and no later event may come to reveal the gap.
        void sync.resync().catch(() => {});
        // Presence always: a list still in flight when the socket connected may predate events sent
        // before this socket could hear them (people arriving together); events heard since win over it.
        void queryClient.invalidateQueries({ queryKey: presenceQuery().queryKey, exact: true });
        sender.flush();
      });
      socket.on('disconnect', () => setConnection('down'));
      socket.on('connect_error', (error) => {
        setConnection('down');
        if (error.message === 'unauthorized') {
          // The session is gone (signed out elsewhere, expired): confirm with the API, which signs us out.
          void queryClient.invalidateQueries({ queryKey: meQuery().queryKey });
        }
        // The client gives up after a refusal by the server's middleware; keep trying while mounted.
        if (!socket.active) {
          window.clearTimeout(retry);
          retry = window.setTimeout(() => socket.connect(), 3_000);
        }
      });
      // The browser knows it lost the network long before a socket ping times out; say so at once and
      // reconnect as soon as it is back instead of waiting for the next backoff step.
      const onOffline = () => {
        socket.disconnect();
        setConnection('down');
      };
      const onOnline = () => {
        if (!socket.connected) socket.connect();
      };
      window.addEventListener('offline', onOffline);
      window.addEventListener('online', onOnline);
      socket.connect();

      return () => {
        window.removeEventListener('offline', onOffline);
        window.removeEventListener('online', onOnline);
        window.clearTimeout(grace);
        window.clearTimeout(retry);
        unregister();
        stopReportingAttention();
        socket.removeAllListeners();
        socket.disconnect();
        notifier.dispose();
        socketRef.current = null;
      };
    }

    // socket.io-client is no part of the first paint (ADR 049): its chunk loads once the shell has
    // mounted. Data fetched before the socket is in its rooms is caught up on each connect (resync).
    const start = () => {
      import('../../lib/socket.ts').then(
        ({ createSocket }) => {
          if (!cancelled) stop = connect(createSocket());
        },
        () => {
          // The chunk could not be fetched (offline): try again while mounted.
          if (!cancelled) retryImport = window.setTimeout(start, 3_000);
        },
      );
    };
    start();
    return () => {
      cancelled = true;
      window.clearTimeout(retryImport);
      stop?.();
    };
  }, [userId, queryClient, sender, sync, reading, setConnection]);

  const emitTyping = useCallback((conversationId: number) => {
    const socket = socketRef.current;
    const now = Date.now();
    if (!socket?.connected || now - (lastTyping.current.get(conversationId) ?? 0) < TYPING_THROTTLE_MS) return;
    lastTyping.current.set(conversationId, now);
    socket.emit('typing', { conversationId });
  }, []);

  // Only after a `typing` this tab sent: the others see the indicator go at once, not when it expires.
  const emitStoppedTyping = useCallback((conversationId: number) => {
    const socket = socketRef.current;
    if (!socket?.connected || !lastTyping.current.delete(conversationId)) return;
    socket.emit('typing', { conversationId, stopped: true });
  }, []);

  const value = useMemo<Realtime>(
    () => ({ reading, emitTyping, emitStoppedTyping }),
    [reading, emitTyping, emitStoppedTyping],
  );
  return (
    <RealtimeContext value={value}>
      <ConnectionContext value={connection}>{children}</ConnectionContext>
    </RealtimeContext>
  );
}

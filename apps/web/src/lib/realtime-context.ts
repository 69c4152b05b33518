import { createContext, use } from 'react';

export type ConnectionState = 'connecting' | 'connected' | 'down';

export interface ReadingState {
  readonly conversationId: number | null;
}

/**
 * What the person is looking at, as far as socket events care: whether to notify. (Unread counts are the
 * server's, kept by the event sequence: nothing here decides them.) The socket wiring (app/realtime)
 * owns it; the conversation view reports to it through these calls and never writes it directly.
 */
export interface Reading {
  current(): ReadingState;
  /** A conversation's view opened; the returned function closes it. */
  open(conversationId: number): () => void;
}

/** What components get from the socket: typing and the reading report, the same for the socket's life. */
export interface Realtime {
  reading: Reading;
  emitTyping(conversationId: number): void;
  /** The composer was cleared after typing. */
  emitStoppedTyping(conversationId: number): void;
}

// Features read the socket through this context only; app/realtime provides it, so no feature
// imports the wiring that imports every feature.
export const RealtimeContext = createContext<Realtime | null>(null);

// The socket's state has a context of its own: a change of it re-renders what shows it, not every reader of
// the socket. Joined to the one above, the first `connect` re-rendered the whole conversation screen, in a
// task of 150–270 ms at 4× CPU while the page loaded (ADR 060).
export const ConnectionContext = createContext<ConnectionState | null>(null);

export function useRealtime(): Realtime {
  const value = use(RealtimeContext);
  if (!value) throw new Error('RealtimeProvider is missing');
  return value;
}

export function useConnection(): ConnectionState {
  const value = use(ConnectionContext);
  if (!value) throw new Error('RealtimeProvider is missing');
  return value;
}

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

/** What components get from the socket: its state, typing, and the reading report. */
export interface Realtime {
  connection: ConnectionState;
  reading: Reading;
  emitTyping(conversationId: number): void;
  /** The composer was cleared after typing. */
  emitStoppedTyping(conversationId: number): void;
}

// Features read the socket through this context only; app/realtime provides it, so no feature
// imports the wiring that imports every feature.
export const RealtimeContext = createContext<Realtime | null>(null);

export function useRealtime(): Realtime {
  const value = use(RealtimeContext);
  if (!value) throw new Error('RealtimeProvider is missing');
  return value;
}

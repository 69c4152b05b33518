import type { Reading, ReadingState } from '../../lib/realtime-context.ts';

/** The one owner of what is being read: a value replaced on each report, never shared for writing. */
export function createReading(): Reading {
  let state: ReadingState = { conversationId: null };
  return {
    current: () => state,
    open(conversationId) {
      state = { conversationId };
      return () => {
        // Another view may have opened in between; only this one's close clears it.
        if (state.conversationId === conversationId) state = { conversationId: null };
      };
    },
  };
}

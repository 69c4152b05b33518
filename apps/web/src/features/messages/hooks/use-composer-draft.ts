import { useEffect, useState } from 'react';
import { readLocal, writeLocal } from '../../../lib/local-store.ts';

/** The composer's text per conversation, kept across reloads until it is sent. */
export function useComposerDraft(userId: number, conversationId: number) {
  const key = `parley:draft:${userId}:${conversationId}`;
  const [text, setText] = useState(() => readLocal<string>(key) ?? '');

  useEffect(() => {
    // Writes are cheap and synchronous, so a reload a moment after typing still finds the draft.
    writeLocal(key, text === '' ? undefined : text);
  }, [key, text]);

  return [text, setText] as const;
}

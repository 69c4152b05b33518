import { useEffect, useState } from 'react';
import { readLocal, removeLocalByPrefix, writeLocal } from '../../../lib/local-store.ts';

const keyPrefix = (userId: number) => `parley:draft:${userId}:`;

/** The composer's text per conversation, kept across reloads until it is sent. */
export function useComposerDraft(userId: number, conversationId: number) {
  const key = `${keyPrefix(userId)}${conversationId}`;
  const [text, setText] = useState(() => readLocal<string>(key) ?? '');

  useEffect(() => {
    // Writes are cheap and synchronous, so a reload a moment after typing still finds the draft.
    writeLocal(key, text === '' ? undefined : text);
  }, [key, text]);

  return [text, setText] as const;
}

/** Forgets every composer draft of this user on this device (on sign-out). */
export function clearComposerDrafts(userId: number): void {
  removeLocalByPrefix(keyPrefix(userId));
}

import type { User } from '@parley/contracts';
import { useCallback, useEffect, useState } from 'react';
import { readLocal, writeLocal } from '../../../lib/local-store.ts';

export interface NewConversationDraft {
  chosen: User[];
  title: string;
}

const empty: NewConversationDraft = { chosen: [], title: '' };
const keyOf = (userId: number) => `parley:new-conversation:${userId}`;

/** The half-filled form survives a reload; creating the conversation clears it. */
export function useNewConversationDraft(userId: number) {
  const key = keyOf(userId);
  const [draft, setDraft] = useState<NewConversationDraft>(() => readLocal<NewConversationDraft>(key) ?? empty);

  useEffect(() => {
    const isEmpty = draft.chosen.length === 0 && draft.title === '';
    writeLocal(key, isEmpty ? undefined : draft);
  }, [key, draft]);

  const toggle = useCallback((user: User) => {
    setDraft((current) => ({
      ...current,
      chosen: current.chosen.some((u) => u.id === user.id)
        ? current.chosen.filter((u) => u.id !== user.id)
        : [...current.chosen, { id: user.id, nickname: user.nickname }],
    }));
  }, []);
  const setTitle = useCallback((title: string) => setDraft((current) => ({ ...current, title })), []);
  const clear = useCallback(() => setDraft(empty), []);

  return { draft, toggle, setTitle, clear };
}

/** Forgets this user's half-filled New conversation form on this device (on sign-out). */
export function clearNewConversationDraft(userId: number): void {
  writeLocal(keyOf(userId), undefined);
}

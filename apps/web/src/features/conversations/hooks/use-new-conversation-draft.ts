import type { User } from '@parley/contracts';
import { useCallback, useState } from 'react';
import { writeLocal } from '../../../lib/local-store.ts';

export interface NewConversationDraft {
  chosen: User[];
  title: string;
}

const empty: NewConversationDraft = { chosen: [], title: '' };
const keyOf = (userId: number) => `parley:new-conversation:${userId}`;

/**
 * The form's choices, for one opening of the dialog only: people found it confusing to see last
 * time's ticks again, so nothing is kept once the dialog closes.
 */
export function useNewConversationDraft() {
  const [draft, setDraft] = useState<NewConversationDraft>(empty);
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

/** Forgets a form an older version kept on this device for this user (on sign-out). */
export function clearNewConversationDraft(userId: number): void {
  writeLocal(keyOf(userId), undefined);
}

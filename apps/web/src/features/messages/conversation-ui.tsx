import type { Message } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, use, useCallback, useMemo, useRef, useState } from 'react';
import { toast } from '../../components/toasts/toasts.tsx';
import { errorMessage } from '../../lib/error-message.ts';
import { deleteMessage, patchMessage, setReaction } from './api.ts';
import { showAnswer } from './cache.ts';

interface ConversationUi {
  /** The message the composer replies to. */
  replyTo: Message | null;
  setReplyTo(message: Message | null): void;
  /** The message whose text is a textbox "Edit message" now. */
  editingId: number | null;
  /** `opener` gets focus back when the edit ends (the Edit button, or the composer after Up). */
  startEdit(message: Message, opener: HTMLElement | null): void;
  endEdit(): void;
  save(message: Message, content: string): Promise<boolean>;
  remove(message: Message): Promise<boolean>;
  toggleReaction(message: Message, emoji: string, on: boolean): void;
}

const ConversationUiContext = createContext<ConversationUi | null>(null);

function report(error: unknown) {
  toast.error(errorMessage(error));
}

/** What one open conversation's messages share: the reply being written, the edit, and the actions. */
export function ConversationUiProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [editingId, setEditingId] = useState<number | null>(null);
  const opener = useRef<HTMLElement | null>(null);

  const startEdit = useCallback((message: Message, from: HTMLElement | null) => {
    opener.current = from;
    setEditingId(message.id);
  }, []);

  const endEdit = useCallback(() => {
    setEditingId(null);
    const from = opener.current;
    opener.current = null;
    // After the textbox is gone; the opener may have been re-rendered in between.
    requestAnimationFrame(() => from?.isConnected && from.focus());
  }, []);

  const save = useCallback(
    async (message: Message, content: string) => {
      try {
        if (content !== message.content) showAnswer(queryClient, await patchMessage(message, content));
        return true;
      } catch (error) {
        report(error);
        return false;
      }
    },
    [queryClient],
  );

  const remove = useCallback(
    async (message: Message) => {
      try {
        showAnswer(queryClient, await deleteMessage(message));
        return true;
      } catch (error) {
        report(error);
        return false;
      }
    },
    [queryClient],
  );

  const toggleReaction = useCallback(
    (message: Message, emoji: string, on: boolean) => {
      setReaction(message, emoji, on).then((answer) => showAnswer(queryClient, answer), report);
    },
    [queryClient],
  );

  const value = useMemo(
    () => ({ replyTo, setReplyTo, editingId, startEdit, endEdit, save, remove, toggleReaction }),
    [replyTo, editingId, startEdit, endEdit, save, remove, toggleReaction],
  );
  return <ConversationUiContext value={value}>{children}</ConversationUiContext>;
}

export function useConversationUi(): ConversationUi {
  const value = use(ConversationUiContext);
  if (!value) throw new Error('ConversationUiProvider is missing');
  return value;
}

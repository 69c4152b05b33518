import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, use, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { createOutbox, type OutboxEntry } from './outbox.ts';
import { createOutboxSender, type OutboxSender } from './outbox-sender.ts';

interface OutboxContextValue {
  sender: OutboxSender;
  outbox: ReturnType<typeof createOutbox>;
}

const OutboxContext = createContext<OutboxContextValue | null>(null);

/** One outbox per signed-in user; entries saved before a reload are sent as soon as they are read back. */
export function OutboxProvider({ userId, children }: { userId: number; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [value] = useState(() => {
    const outbox = createOutbox(userId);
    return { outbox, sender: createOutboxSender(outbox, queryClient) };
  });

  useEffect(() => {
    const { outbox, sender } = value;
    void outbox.ready.then(() => sender.flush());
    const onOnline = () => sender.flush();
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('online', onOnline);
      sender.dispose();
    };
  }, [value]);

  return <OutboxContext value={value}>{children}</OutboxContext>;
}

function useOutboxContext(): OutboxContextValue {
  const value = use(OutboxContext);
  if (!value) throw new Error('OutboxProvider is missing');
  return value;
}

export function useOutboxSender(): OutboxSender {
  return useOutboxContext().sender;
}

/** Unconfirmed messages of one conversation, oldest first. */
export function usePendingMessages(conversationId: number): OutboxEntry[] {
  const { outbox } = useOutboxContext();
  const entries = useSyncExternalStore(outbox.subscribe, outbox.getSnapshot);
  return useMemo(() => entries.filter((entry) => entry.conversationId === conversationId), [entries, conversationId]);
}

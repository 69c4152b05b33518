import type { Member } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { typingQuery } from '../api.ts';

function sentence(names: string[]): string {
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`;
}

export function TypingIndicator({ conversationId, members }: { conversationId: number; members: Member[] }) {
  const { data: entries } = useQuery(typingQuery(conversationId));
  const [now, setNow] = useState(Date.now);
  // Entries expire by time; a tick while anyone types is enough to drop stale ones from view.
  useEffect(() => {
    if (entries.length === 0) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, [entries.length]);

  const names = entries
    .filter((entry) => entry.expiresAt > now)
    .map((entry) => members.find((m) => m.id === entry.userId)?.nickname)
    .filter((name): name is string => Boolean(name));

  return (
    <div className="h-5 px-4 text-xs text-muted sm:px-6" aria-live="polite">
      {names.length > 0 ? (
        <span className="inline-flex items-center gap-1.5">
          <span className="inline-flex gap-0.5" aria-hidden="true">
            <span className="size-1 animate-bounce rounded-full bg-muted [animation-delay:-0.3s]" />
            <span className="size-1 animate-bounce rounded-full bg-muted [animation-delay:-0.15s]" />
            <span className="size-1 animate-bounce rounded-full bg-muted" />
          </span>
          {sentence(names)}
        </span>
      ) : null}
    </div>
  );
}

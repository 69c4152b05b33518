import { useQuery } from '@tanstack/react-query';
import { presenceQuery } from '../api.ts';

interface PresenceDotProps {
  userId: number;
  /** What a search result said, used until an event or the presence list says otherwise. */
  fallback?: boolean | undefined;
}

/** A coloured dot whose text alternative says "online" or "offline". */
export function PresenceDot({ userId, fallback }: PresenceDotProps) {
  const { data } = useQuery(presenceQuery());
  const online = data?.[userId] ?? fallback ?? false;
  const label = online ? 'online' : 'offline';
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      className={`inline-block size-2.5 shrink-0 rounded-full ring-2 ring-surface ${
        online ? 'bg-online' : 'border border-muted/60 bg-transparent'
      }`}
    />
  );
}

import { useQuery } from '@tanstack/react-query';
import { presenceQuery } from '../api.ts';

/** Whether a user is online: the live presence list, else what a search result said. */
export function useOnline(userId: number, fallback?: boolean): boolean {
  const { data } = useQuery(presenceQuery());
  return data?.[userId] ?? fallback ?? false;
}

interface PresenceDotProps {
  userId: number;
  /** What a search result said, used until an event or the presence list says otherwise. */
  fallback?: boolean | undefined;
  /**
   * Hidden from assistive technology, for use inside a control's label (where it would become part
   * of the control's name); the caller then conveys presence another way, e.g. aria-describedby.
   */
  decorative?: boolean;
}

/** A coloured dot whose text alternative says "online" or "offline" (unless decorative). */
export function PresenceDot({ userId, fallback, decorative = false }: PresenceDotProps) {
  const online = useOnline(userId, fallback);
  const label = online ? 'online' : 'offline';
  return (
    <span
      {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': label })}
      title={label}
      className={`inline-block size-2.5 shrink-0 rounded-full ring-2 ring-surface ${
        online ? 'bg-online' : 'border border-muted/60 bg-transparent'
      }`}
    />
  );
}

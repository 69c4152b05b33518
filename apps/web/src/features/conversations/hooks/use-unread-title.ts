import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { conversationsQuery } from '../queries.ts';

/** `(N) Parley` while anything is unread, so the tab itself says there is something new. */
export function useUnreadTitle(): void {
  const { data } = useQuery({
    ...conversationsQuery(),
    select: (conversations) => conversations.reduce((sum, c) => sum + c.unreadCount, 0),
  });
  const total = data ?? 0;
  useEffect(() => {
    document.title = total > 0 ? `(${total}) Parley` : 'Parley';
    return () => {
      document.title = 'Parley';
    };
  }, [total]);
}

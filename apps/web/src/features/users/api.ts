import { LIMITS, type User, type UsersResponse } from '@parley/contracts';
import { keepPreviousData, type QueryClient, queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export type PresenceMap = Record<number, boolean>;

async function fetchUsers(q: string, signal: AbortSignal): Promise<User[]> {
  const params = new URLSearchParams({ q, limit: String(LIMITS.usersMax) });
  return (await api<UsersResponse>(`/users?${params}`, { signal })).users;
}

/** Contacts matching a search. */
export const usersQuery = (q: string) =>
  queryOptions({
    queryKey: ['users', q] as const,
    queryFn: ({ signal }) => fetchUsers(q, signal),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

/**
 * `presence` events by user, with when they arrived. A list fetched while an event arrived may be older
 * than the event (people arriving together: the list read "offline", the "online" came meanwhile), so
 * an event newer than the fetch's start wins over what the fetch answered.
 */
const heard = new Map<number, { online: boolean; at: number }>();
let clock = 0;

/**
 * Who is online, by user id: seeded from the contacts list, then patched by `presence` events, so a
 * dot anywhere in the app reads one live source.
 */
export const presenceQuery = () =>
  queryOptions({
    queryKey: ['presence'] as const,
    queryFn: async ({ signal }): Promise<PresenceMap> => {
      const startedAt = ++clock;
      const users = await fetchUsers('', signal);
      const map: PresenceMap = Object.fromEntries(users.map((user) => [user.id, user.online === true]));
      for (const [userId, event] of heard) if (event.at > startedAt) map[userId] = event.online;
      return map;
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

export function setPresence(queryClient: QueryClient, userId: number, online: boolean): void {
  heard.set(userId, { online, at: ++clock });
  queryClient.setQueryData(presenceQuery().queryKey, (map) => ({ ...map, [userId]: online }));
}

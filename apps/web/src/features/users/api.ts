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
 * Who is online, by user id: seeded from the contacts list, then patched by `presence` events, so a
 * dot anywhere in the app reads one live source.
 */
export const presenceQuery = () =>
  queryOptions({
    queryKey: ['presence'] as const,
    queryFn: async ({ signal }): Promise<PresenceMap> => {
      const users = await fetchUsers('', signal);
      return Object.fromEntries(users.map((user) => [user.id, user.online === true]));
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

export function setPresence(queryClient: QueryClient, userId: number, online: boolean): void {
  queryClient.setQueryData(presenceQuery().queryKey, (map) => ({ ...map, [userId]: online }));
}

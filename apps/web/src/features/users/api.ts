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
 * `presence` events in the order they arrived, against lists fetched meanwhile. A list fetched while an
 * event arrived may be older than the event (people arriving together: the list read "offline", the
 * "online" came in the meantime), so an event heard after the fetch began wins over what it answered.
 */
export function createPresenceLedger() {
  const heard = new Map<number, { online: boolean; at: number }>();
  let clock = 0;
  return {
    /** A fetch of the list begins; the token says when. */
    begin: () => ++clock,
    heard(userId: number, online: boolean) {
      heard.set(userId, { online, at: ++clock });
    },
    /** The list as the fetch that began at `token` answered it, with the events heard since laid over it. */
    settle(token: number, fetched: PresenceMap): PresenceMap {
      const map = { ...fetched };
      for (const [userId, event] of heard) if (event.at > token) map[userId] = event.online;
      return map;
    },
  };
}
const ledger = createPresenceLedger();

/**
 * Who is online, by user id: seeded from the contacts list, then patched by `presence` events, so a
 * dot anywhere in the app reads one live source.
 */
export const presenceQuery = () =>
  queryOptions({
    queryKey: ['presence'] as const,
    queryFn: async ({ signal }): Promise<PresenceMap> => {
      const token = ledger.begin();
      const users = await fetchUsers('', signal);
      return ledger.settle(token, Object.fromEntries(users.map((user) => [user.id, user.online === true])));
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

export function setPresence(queryClient: QueryClient, userId: number, online: boolean): void {
  ledger.heard(userId, online);
  queryClient.setQueryData(presenceQuery().queryKey, (map) => ({ ...map, [userId]: online }));
}

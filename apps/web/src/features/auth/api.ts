import type { LoginBody, Me, MeResponse, RegisterBody, UpdateMeBody } from '@parley/contracts';
import { hashKey, type QueryClient, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, NetworkError } from '../../lib/api-client.ts';
import { readLocal, writeLocal } from '../../lib/local-store.ts';
import { useSessionEnd } from './session-end.tsx';

/**
 * Who was signed in on this device at the API's last answer. A reload while offline (the service
 * worker serves the app shell) shows the app, saying "Reconnecting…", instead of an error; if the
 * session turns out to have ended, the socket's refusal signs the person out once the network is back.
 */
const REMEMBERED_ME = 'parley:me';
const remember = (me: Me | null) => writeLocal(REMEMBERED_ME, me ?? undefined);

/** The signed-in user, or null when signed out (401). */
export const meQuery = () =>
  queryOptions({
    queryKey: ['auth', 'me'] as const,
    queryFn: async ({ signal }): Promise<Me | null> => {
      try {
        const { user } = await api<MeResponse>('/auth/me', { signal });
        remember(user);
        return user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          remember(null);
          return null;
        }
        const remembered = error instanceof NetworkError ? readLocal<Me>(REMEMBERED_ME) : undefined;
        if (remembered) return remembered;
        throw error;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

/**
 * Nothing cached for a previous user may leak into the next session. The `me` entry itself is kept
 * (and overwritten) because mounted observers stay attached to it.
 */
function forgetSession(queryClient: QueryClient) {
  const meHash = hashKey(meQuery().queryKey);
  queryClient.removeQueries({ predicate: (query) => query.queryHash !== meHash });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => api<MeResponse>('/auth/login', { method: 'POST', body }),
    onSuccess: ({ user }) => {
      forgetSession(queryClient);
      remember(user);
      queryClient.setQueryData(meQuery().queryKey, user);
    },
  });
}

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RegisterBody) => api<MeResponse>('/auth/register', { method: 'POST', body }),
    onSuccess: ({ user }) => {
      forgetSession(queryClient);
      remember(user);
      queryClient.setQueryData(meQuery().queryKey, user);
    },
  });
}

/**
 * A deliberate sign-out. `forgetDevice` removes what the other features keep of this user on the device;
 * auth knows none of them, so app/ passes it in.
 */
export function useLogout(forgetDevice: (userId: number) => void) {
  const queryClient = useQueryClient();
  const sessionEnd = useSessionEnd();
  return useMutation({
    mutationFn: () => api<void>('/auth/logout', { method: 'POST', body: {} }),
    // Signed out locally even if the request failed: the user asked to leave this device.
    onSettled: () => {
      sessionEnd.signedOut();
      const me = queryClient.getQueryData(meQuery().queryKey);
      if (me) forgetDevice(me.id);
      forgetSession(queryClient);
      remember(null);
      queryClient.setQueryData(meQuery().queryKey, null);
    },
  });
}

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateMeBody) => api<MeResponse>('/auth/me', { method: 'PATCH', body }),
    onSuccess: ({ user }) => {
      remember(user);
      queryClient.setQueryData(meQuery().queryKey, user);
    },
  });
}

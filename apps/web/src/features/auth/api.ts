import type { LoginBody, Me, MeResponse, RegisterBody, UpdateMeBody } from '@parley/contracts';
import { hashKey, type QueryClient, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, api, NetworkError } from '../../lib/api-client.ts';
import { readLocal, writeLocal } from '../../lib/local-store.ts';
import { useSessionEnd } from './session-end.tsx';
import { announceSignOut, onSignOutElsewhere } from './sign-out-everywhere.ts';

/**
 * Who was signed in on this device at the API's last answer. A reload while offline (the service
 * worker serves the app shell) shows the app, saying "Reconnecting…", instead of an error; if the
 * session turns out to have ended, the socket's refusal signs the person out once the network is back.
 */
const REMEMBERED_ME = 'parley:me';
const remember = (me: Me | null) => writeLocal(REMEMBERED_ME, me ?? undefined);

/**
 * Whether asking the API who is signed in can answer anything but 401: the server's readable
 * `parley_session_hint` cookie comes and goes with the session (ADR 051), and a remembered user covers
 * sessions made before the hint existed and reloads while offline.
 */
export function mayBeSignedIn(): boolean {
  return document.cookie.split('; ').includes('parley_session_hint=1') || readLocal(REMEMBERED_ME) !== undefined;
}

/** The signed-in user, or null when signed out (401, or no session to ask about). */
export const meQuery = () =>
  queryOptions({
    queryKey: ['auth', 'me'] as const,
    queryFn: async ({ signal }): Promise<Me | null> => {
      // A signed-out visit shows sign-in at once, and Chromium logs no failed request on /login.
      if (!mayBeSignedIn()) return null;
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
      announceSignOut();
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

/** Another tab signed out: the session is gone here too, so this tab lands on /login as well. */
export function useSignOutElsewhere(forgetDevice: (userId: number) => void) {
  const queryClient = useQueryClient();
  const sessionEnd = useSessionEnd();
  useEffect(
    () =>
      onSignOutElsewhere(() => {
        const me = queryClient.getQueryData(meQuery().queryKey);
        if (!me) return;
        sessionEnd.signedOut();
        forgetDevice(me.id);
        forgetSession(queryClient);
        remember(null);
        queryClient.setQueryData(meQuery().queryKey, null);
      }),
    [queryClient, sessionEnd, forgetDevice],
  );
}

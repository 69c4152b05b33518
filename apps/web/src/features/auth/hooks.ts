import type { Me } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { meQuery } from './api.ts';

/** The signed-in user inside the shell, where RequireAuth guarantees one. */
export function useMe(): Me {
  const { data } = useQuery(meQuery());
  if (!data) throw new Error('useMe used outside a signed-in route');
  return data;
}

/** Where to go after signing in: only same-app paths, so `next` cannot send anyone elsewhere. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

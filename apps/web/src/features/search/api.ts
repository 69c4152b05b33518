import type { SearchResponse } from '@parley/contracts';
import { infiniteQueryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export interface SearchParams {
  q: string;
  /** Only this conversation's messages. */
  conversationId?: number | undefined;
}

/**
 * One search's pages, newest first, each page older than the one before (`before=`). The key holds
 * what was asked, so a changed query is another entry: React Query aborts the request of the entry
 * nobody watches any more through `signal`, and typing never leaves requests piling up.
 */
export const searchQuery = ({ q, conversationId }: SearchParams) =>
  infiniteQueryOptions({
    queryKey: ['search', q, conversationId ?? null] as const,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ q });
      if (conversationId !== undefined) params.set('conversationId', String(conversationId));
      if (pageParam !== undefined) params.set('before', String(pageParam));
      return api<SearchResponse>(`/search?${params}`, { signal });
    },
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.hasMore ? last.results.at(-1)?.message.id : undefined),
    // Results are a snapshot: a search run again a minute later asks again.
    staleTime: 30_000,
    gcTime: 5 * 60_000,
    enabled: q.trim().length > 0,
  });

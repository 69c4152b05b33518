import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { meQuery } from '../features/auth/index.ts';
import { ApiError } from '../lib/api-client.ts';

/** Server state lives here only. A 401 anywhere means the session is gone: the app signs out. */
export function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated') {
      queryClient.setQueryData(meQuery().queryKey, null);
    }
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        // Retrying a refusal cannot change the answer; retrying an outage or a rate limit might.
        retry: (failureCount, error) =>
          failureCount < 3 && !(error instanceof ApiError && error.status < 500 && error.status !== 429),
        // Socket events keep data fresh; refetching on focus would be a storm across many tabs.
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
  return queryClient;
}

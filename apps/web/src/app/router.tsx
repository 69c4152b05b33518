import type { QueryClient } from '@tanstack/react-query';
import { lazy } from 'react';
import { createBrowserRouter, Outlet } from 'react-router';
import { LoginPage, mayBeSignedIn, meQuery, PublicOnly, RegisterPage, RequireAuth } from '../features/auth/index.ts';
import { conversationQuery, conversationsQuery } from '../features/conversations/index.ts';
import { loadConversationPage, messagesQuery } from '../features/messages/index.ts';
import { ProfilePage } from '../features/profile/index.ts';
import { loadSearchPage } from '../features/search/index.ts';
import { buildTimeFormatsSoon } from '../lib/format-time.ts';
import { inNextTask } from '../lib/next-task.ts';
import { HomePane } from './home-pane.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { Shell } from './shell.tsx';

// The conversation screen (virtual list, links, tooltips, dialogs) is most of the code: it loads on first
// visit, or in parallel with its data from the route's loader. The small pages stay in the main chunk,
// because a lazy page under a router transition keeps showing the previous page while it loads.
// loadConversationPage (the messages feature's public surface) is the one dynamic import of that chunk.
const ConversationPage = lazy(() => loadConversationPage().then((m) => ({ default: m.ConversationPage })));
// Search results load on demand too: most sessions never search.
const SearchPage = lazy(() => loadSearchPage().then((m) => ({ default: m.SearchPage })));

/**
 * Loaders only start fetches (they never wait), so data for a screen is requested in parallel with its
 * code and the session check instead of after them. Components read the same queries.
 */
export function createRouter(queryClient: QueryClient) {
  // Each fetch starts in a task of its own, right after the loader's: the router's start (its history, the
  // ranking of the routes) and the set-up of a first screen's queries and chunk were one task of 200–300 ms
  // at 4× CPU together (ADR 060). The answers index.html asked for early are taken all the same: these
  // tasks come before the one that drops them (main.tsx).
  const prefetch = (...fetches: (() => Promise<unknown>)[]) => {
    // A chunk that cannot be fetched (offline) is asked for again by the screen's lazy(), which shows why.
    for (const start of fetches) inNextTask(() => void start().catch(() => {}));
    return null;
  };
  return createBrowserRouter([
    {
      element: <Outlet />,
      loader: () => prefetch(() => queryClient.prefetchQuery(meQuery())),
      children: [
        {
          path: '/login',
          element: (
            <PublicOnly>
              <LoginPage />
            </PublicOnly>
          ),
        },
        {
          path: '/register',
          element: (
            <PublicOnly>
              <RegisterPage />
            </PublicOnly>
          ),
        },
        {
          element: (
            <RequireAuth>
              <Shell />
            </RequireAuth>
          ),
          // Signed out, RequireAuth sends the visitor to /login: no list to fetch (it would answer 401).
          loader: () => {
            if (!mayBeSignedIn()) return null;
            buildTimeFormatsSoon();
            return prefetch(() => queryClient.prefetchQuery(conversationsQuery()));
          },
          children: [
            { index: true, element: <HomePane /> },
            {
              path: 'c/:conversationId',
              element: <ConversationPage />,
              loader: ({ params }) => {
                const id = Number(params.conversationId);
                return mayBeSignedIn() && Number.isInteger(id) && id > 0
                  ? prefetch(
                      () => queryClient.prefetchQuery(conversationQuery(id)),
                      () => queryClient.prefetchQuery(messagesQuery(id)),
                      loadConversationPage,
                    )
                  : null;
              },
            },
            { path: 'search', element: <SearchPage />, loader: () => prefetch(loadSearchPage) },
            { path: 'profile', element: <ProfilePage /> },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ]);
}

import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, Suspense, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { Avatar } from '../components/avatar.tsx';
import { Button } from '../components/button.tsx';
import { ChatIcon } from '../components/icons.tsx';
import { Spinner } from '../components/spinner.tsx';
import { useMe } from '../features/auth/index.ts';
import { conversationsQuery, Sidebar, useUnreadTitle } from '../features/conversations/index.ts';
import { createConversationSync, OutboxProvider } from '../features/messages/index.ts';
import { EnableNotificationsButton } from '../features/notifications/index.ts';
import { SearchBox } from '../features/search/index.ts';
import { ConnectionStatus } from './realtime/connection-status.tsx';
import { RealtimeProvider } from './realtime/realtime-provider.tsx';
import { useSignOut } from './use-sign-out.ts';

function Header() {
  const me = useMe();
  const logout = useSignOut();
  return (
    <header className="flex h-14 shrink-0 items-center gap-2 border-b border-line bg-surface px-3 sm:px-4">
      <Link
        to="/"
        aria-label="Parley"
        className="mr-auto flex items-center gap-2 rounded-lg font-semibold tracking-tight"
      >
        <span className="inline-flex size-8 items-center justify-center rounded-lg bg-accent text-on-accent">
          <ChatIcon className="size-4" />
        </span>
        <span className="hidden sm:inline">Parley</span>
      </Link>
      <SearchBox />
      <EnableNotificationsButton />
      <span className="flex min-w-0 items-center gap-2 px-1">
        <Avatar name={me.nickname} seed={me.id} size="sm" />
        <span className="max-w-[8rem] truncate text-sm font-medium sm:max-w-[12rem]">{me.nickname}</span>
      </span>
      <Link to="/profile" className="rounded-lg px-2.5 py-1.5 text-sm text-muted hover:bg-surface-2 hover:text-fg">
        Profile
      </Link>
      <Button variant="secondary" size="sm" disabled={logout.isPending} onClick={() => logout.mutate()}>
        Sign out
      </Button>
    </header>
  );
}

function Layout() {
  useUnreadTitle();
  const { pathname } = useLocation();
  // One pane at a time on narrow screens: the list at `/`, the page itself everywhere else.
  const detailOpen = pathname !== '/';
  return (
    <div className="flex h-dvh flex-col">
      <Header />
      <ConnectionStatus />
      <div className="flex min-h-0 flex-1">
        <aside
          className={`${detailOpen ? 'hidden md:flex' : 'flex'} w-full flex-col border-r border-line bg-surface md:w-80 lg:w-96`}
        >
          <Sidebar />
        </aside>
        <main className={`${detailOpen ? 'flex' : 'hidden md:flex'} min-w-0 flex-1 flex-col bg-bg`}>
          <Suspense
            fallback={
              <div className="flex h-full items-center justify-center">
                <Spinner />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}

/** One user's session on this device: their outbox, their socket, and the event sync behind it. */
function Session({ userId, children }: { userId: number; children: ReactNode }) {
  const queryClient = useQueryClient();
  // One per session: what it holds (the catch-ups running) belongs to this user only.
  const [sync] = useState(() =>
    createConversationSync(queryClient, {
      meId: userId,
      // A conversation we were added to while its `conversation:new` was missed: the list brings it.
      onUnknown: () => void queryClient.invalidateQueries({ queryKey: conversationsQuery().queryKey, exact: true }),
    }),
  );
  return (
    <OutboxProvider userId={userId}>
      <RealtimeProvider userId={userId} sync={sync}>
        {children}
      </RealtimeProvider>
    </OutboxProvider>
  );
}

/** The signed-in app: a session per user, around the two-pane layout. */
export function Shell() {
  const me = useMe();
  return (
    <Session key={me.id} userId={me.id}>
      <Layout />
    </Session>
  );
}

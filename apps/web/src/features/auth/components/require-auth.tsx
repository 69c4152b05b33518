import type { Me } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate, useLocation, useSearchParams } from 'react-router';
import { Button } from '../../../components/button.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { meQuery } from '../api.ts';
import { safeNext } from '../hooks.ts';
import { useSessionEnd } from '../session-end.tsx';

function FullPage({ children }: { children: ReactNode }) {
  return <div className="flex h-full items-center justify-center p-6">{children}</div>;
}

function MeError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <FullPage>
      <div role="alert" className="flex flex-col items-center gap-3 text-center">
        <p className="font-semibold">Parley can't load right now</p>
        <p className="text-sm text-muted">{errorMessage(error)}</p>
        <Button onClick={retry}>Try again</Button>
      </div>
    </FullPage>
  );
}

/**
 * Who is signed in, or the screen to show while that is not known yet (a spinner, or an error with a
 * retry). `null` means signed out.
 */
function useSignedIn(): { me: Me | null } | { screen: ReactNode } {
  const { data: me, isPending, error, refetch } = useQuery(meQuery());
  if (isPending) {
    return {
      screen: (
        <FullPage>
          <Spinner />
        </FullPage>
      ),
    };
  }
  if (error && me === undefined) return { screen: <MeError error={error} retry={() => void refetch()} /> };
  return { me: me ?? null };
}

/** Protected pages: a signed-out visitor goes to /login, remembering where they wanted to go. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  const sessionEnd = useSessionEnd();
  const state = useSignedIn();
  if ('screen' in state) return state.screen;
  if (!state.me) {
    if (sessionEnd.takeSignedOut()) {
      return <Navigate to="/login" replace />;
    }
    const here = `${location.pathname}${location.search}`;
    const to = here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
    return <Navigate to={to} replace />;
  }
  return children;
}

/** Sign-in and registration: a signed-in visitor goes straight on. */
export function PublicOnly({ children }: { children: ReactNode }) {
  const [params] = useSearchParams();
  const state = useSignedIn();
  if ('screen' in state) return state.screen;
  if (state.me) return <Navigate to={safeNext(params.get('next'))} replace />;
  return children;
}

import { StrictMode, Suspense, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { Providers } from './app/providers.tsx';
import { createQueryClient } from './app/query-client.ts';
import { createRouter } from './app/router.tsx';
import { mayBeSignedIn } from './features/auth/index.ts';
import { followServiceWorker, registerServiceWorker } from './features/push/index.ts';
import { dropEarlyResponses } from './lib/early-requests.ts';
import { buildTimeFormatsSoon } from './lib/format-time.ts';
import { inNextTask } from './lib/next-task.ts';
import './index.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

// Followed from the modules' own task: the worker's messages are dispatched once the document has loaded,
// which can come before start(), and a notification's "open" sent then would find no listener. Until the
// router exists, the last URL asked for waits.
let navigate: ((url: string) => void) | undefined;
let openedEarly: string | undefined;
followServiceWorker((url) => {
  if (navigate) navigate(url);
  else openedEarly = url;
});

/**
 * Runs in a task of its own, after the one that evaluated the modules (React DOM, the router, TanStack
 * Query). Together they were the longest task of a page load on a slow phone; apart, the page can answer
 * between them, and the start (the router's first loaders, their fetches) follows at once (ADR 054). The
 * React root follows in a third task (amended there).
 */
function start(root: HTMLElement) {
  const queryClient = createQueryClient();
  const router = createRouter(queryClient);
  navigate = (url) => void router.navigate(url);
  if (openedEarly) navigate(openedEarly);
  registerServiceWorker();

  // React's root in the next task: the router's first loaders (their fetches) and React DOM's set-up (its
  // event listeners, the first render's scheduling) were one task of 300–430 ms at 4× CPU together.
  inNextTask(() => {
    // The first loaders have taken the answers index.html asked for early; any left over are not reused.
    dropEarlyResponses();
    // A transition, so React renders the app in slices between which the page stays responsive.
    const reactRoot = createRoot(root);
    startTransition(() =>
      reactRoot.render(
        <StrictMode>
          <Providers queryClient={queryClient}>
            <Suspense fallback={null}>
              <RouterProvider router={router} />
            </Suspense>
          </Providers>
        </StrictMode>,
      ),
    );
  });
}

// A signed-in screen shows times: ICU's start-up begins now, in a worker, while the app starts, so that it is
// paid before the first list renders (ADR 058). The route loader asks again, for a visit that signs in first.
if (mayBeSignedIn()) buildTimeFormatsSoon();
inNextTask(() => start(root));

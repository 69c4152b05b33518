import { lazy, Suspense, useEffect, useState } from 'react';
import type { Toast } from './app-toaster.tsx';

// sonner is no part of the first paint (ADR 049): its chunk loads when the browser is first idle, or at
// the first toast if that comes sooner. A toast asked for before then waits for the Toaster, never lost.
// A failed fetch of the chunk (a flaky network, a deploy that replaced /assets) is tried again with a
// backoff, never thrown: thrown, it would reach the root, outside every error boundary, and blank the
// app. Toasts asked for meanwhile wait.
type ToasterModule = typeof import('./app-toaster.tsx');
function loadToaster(attempt = 0): Promise<ToasterModule> {
  return import('./app-toaster.tsx').catch(
    () =>
      new Promise<ToasterModule>((resolve) => {
        window.setTimeout(() => resolve(loadToaster(attempt + 1)), Math.min(30_000, 1_000 * 2 ** attempt));
      }),
  );
}
const AppToaster = lazy(() => loadToaster());

let resolveMounted: (toast: Toast) => void = () => {};
const mounted = new Promise<Toast>((resolve) => {
  resolveMounted = resolve;
});
let mountNow: (() => void) | null = null;
let wanted = false;

function withToaster(show: (toast: Toast) => void) {
  wanted = true;
  mountNow?.();
  void mounted.then(show);
}

type Options = Parameters<Toast>[1];

/** A toast (sonner's API, the calls the app uses): `toast(title, options)`, `toast.error(message)`. */
export const toast = Object.assign((title: string, options?: Options) => withToaster((t) => t(title, options)), {
  error: (message: string, options?: Options) => withToaster((t) => t.error(message, options)),
});

/** Where toasts appear; mounted once, by the app's providers. */
export function ToastHost() {
  const [show, setShow] = useState(wanted);
  useEffect(() => {
    mountNow = () => setShow(true);
    const idle = window.requestIdleCallback?.(() => setShow(true), { timeout: 3_000 });
    return () => {
      mountNow = null;
      if (idle !== undefined) window.cancelIdleCallback(idle);
    };
  }, []);
  return show ? (
    <Suspense fallback={null}>
      <AppToaster onMounted={resolveMounted} />
    </Suspense>
  ) : null;
}

/**
 * The service worker (public/sw.js) and the page's side of talking to it. Registered once at start;
 * a browser without service workers simply runs without push, offline shell and SW notifications.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  // Served with `Cache-Control: no-cache`; `updateViaCache: 'none'` makes the browser ask every time too.
  navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => {});
}

/** A notification click in the worker asks an open window to show a conversation (no reload). */
export function followServiceWorker(navigate: (url: string) => void): () => void {
  if (!('serviceWorker' in navigator)) return () => {};
  const onMessage = (event: MessageEvent) => {
    const data = event.data as { type?: unknown; url?: unknown } | null;
    if (data?.type !== 'open' || typeof data.url !== 'string' || !data.url.startsWith('/')) return;
    window.focus();
    navigate(data.url);
  };
  navigator.serviceWorker.addEventListener('message', onMessage);
  return () => navigator.serviceWorker.removeEventListener('message', onMessage);
}

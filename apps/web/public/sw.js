// Parley's service worker: plain, small and hand-readable on purpose (ADR 036).
// - Notifications: pushes from the server, and the in-tab notifier's (it hands its notifications
//   here), one per message and one per conversation on screen (ADR 036).
// - A click focuses an open Parley window on /c/<id>, or opens one.
// - The app shell (index.html and the hashed /assets) is kept, so a reload while offline shows the
//   app saying "Reconnecting…". API responses are never cached.
// Served with `Cache-Control: no-cache` like every file outside /assets, so a deploy's new worker is
// picked up at the next navigation.

const SHELL_CACHE = 'parley-shell-v1';
const SHELL_URL = '/';
const ICON = '/icons/icon-192.png';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.add(SHELL_URL))
      .catch(() => {}),
  );
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== SHELL_CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

// ---------------------------------------------------------------------------------------------
// The app shell

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(asset(request));
  }
});

/** Every screen is index.html: from the network when it answers (and kept), else the kept copy. */
async function navigation(request) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && (response.headers.get('content-type') ?? '').includes('text/html')) {
      await cache.put(SHELL_URL, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(SHELL_URL);
    if (kept) return kept;
    throw error;
  }
}

// Enough for a few deploys' worth of hashed files; older ones go first (keys() is in insertion order).
const MAX_ASSETS = 120;

/** Hashed files never change under their name: the kept copy is always right. */
async function asset(request) {
  const cache = await caches.open(SHELL_CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    const keys = (await cache.keys()).filter((r) => new URL(r.url).pathname.startsWith('/assets/'));
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ASSETS))) await cache.delete(old);
  }
  return response;
}

// ---------------------------------------------------------------------------------------------
// Notifications

/** Message ids shown while this worker lives; the notifications themselves remember across restarts. */
const shown = new Set();
let showing = Promise.resolve();

/**
 * Shows one notification per message, whoever asks first (a push or a tab), and one per conversation
 * on screen: its tag, so a newer message replaces the older one and alerts again (renotify). Calls are
 * serialised, so a push and a tab asking at the same moment cannot both pass the check.
 */
function show(notification) {
  showing = showing.then(() => showOnce(notification)).catch(() => {});
  return showing;
}

async function showOnce({ conversationId, messageId, title, body, url }) {
  const tag = `conversation-${conversationId}`;
  if (messageId !== undefined) {
    if (shown.has(messageId)) return;
    const open = await self.registration.getNotifications({ tag });
    if (open.some((n) => n.data?.messageId === messageId)) return;
    shown.add(messageId);
    if (shown.size > 500) shown.delete(shown.values().next().value);
  }
  await self.registration.showNotification(title, {
    body,
    tag,
    renotify: true,
    icon: ICON,
    data: { conversationId, messageId, url: url ?? `/c/${conversationId}` },
  });
}

async function visibleWindows() {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  return windows.filter((w) => w.visibilityState === 'visible');
}

self.addEventListener('push', (event) => {
  let payload;
  try {
    payload = event.data?.json();
  } catch {
    return;
  }
  if (!payload || typeof payload.conversationId !== 'number') return;
  event.waitUntil(
    (async () => {
      // A visible Parley window has its own notifier, which knows what is on screen: it decides.
      if ((await visibleWindows()).length > 0) return;
      await show(payload);
    })(),
  );
});

// The in-tab notifier (the Web Locks leader) hands its notifications here, so they meet pushes.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (data?.type !== 'notify' || typeof data.notification?.conversationId !== 'number') return;
  event.waitUntil(show(data.notification));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const done = openConversation(event.notification.data?.url ?? '/');
  // A click dispatched by a test is not trusted, and waitUntil refuses untrusted events.
  if (event.isTrusted) event.waitUntil(done);
});

/** Focuses a Parley window (a visible one first) and has it show `url`, or opens one there. */
async function openConversation(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const target = windows.find((w) => w.visibilityState === 'visible') ?? windows[0];
  if (!target) {
    await self.clients.openWindow(url);
    return;
  }
  // The page navigates within the app (no reload); focus may be refused without a user's click.
  target.postMessage({ type: 'open', url });
  await target.focus().catch(() => {});
}

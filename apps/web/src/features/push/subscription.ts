import { deleteSubscription, fetchPushKey, saveSubscription } from './api.ts';
import { applicationServerKey } from './push-support.ts';

async function registration(): Promise<ServiceWorkerRegistration> {
  const existing = await navigator.serviceWorker.getRegistration('/');
  if (existing) return existing;
  // Registered at start (service-worker.ts); a page opened before it finished waits for it here.
  return navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' });
}

/** This browser's push subscription, if it has one. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!('serviceWorker' in navigator)) return null;
  const reg = await navigator.serviceWorker.getRegistration('/');
  return (await reg?.pushManager.getSubscription()) ?? null;
}

function bodyOf(subscription: PushSubscription) {
  const { endpoint, keys } = subscription.toJSON();
  if (!endpoint || !keys?.p256dh || !keys.auth) throw new Error('The browser gave an incomplete subscription.');
  return { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
}

/** Asks for permission when needed, subscribes with the server's VAPID key and tells the server. */
export async function subscribeThisDevice(): Promise<void> {
  if (window.Notification.permission === 'default') await window.Notification.requestPermission();
  if (window.Notification.permission !== 'granted') {
    throw new Error('Notifications were not allowed, so push cannot be turned on.');
  }
  const reg = await registration();
  await navigator.serviceWorker.ready;
  const { publicKey } = await fetchPushKey();
  const key = applicationServerKey(publicKey);
  let subscription = await reg.pushManager.getSubscription();
  const sameKey =
    subscription?.options.applicationServerKey &&
    new Uint8Array(subscription.options.applicationServerKey).join() === key.join();
  if (subscription && !sameKey) {
    // Made with another key (the server's was replaced): it can never be pushed to again.
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await saveSubscription(bodyOf(subscription));
}

/** Tells the server first (so no push is on its way to a dead subscription), then the browser. */
export async function unsubscribeThisDevice(): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  await deleteSubscription(subscription.endpoint);
  await subscription.unsubscribe();
}

/**
 * Tells the server again about this browser's subscription, for this session: a subscription belongs
 * to the session that made it, and a new sign-in on the same device (after an expiry, say) is a new
 * session. Idempotent (200 when known).
 */
export async function resyncThisDevice(): Promise<void> {
  if (!('Notification' in window) || window.Notification.permission !== 'granted') return;
  const subscription = await currentSubscription();
  if (subscription) await saveSubscription(bodyOf(subscription));
}

/** On sign-out: the server has dropped the session's subscriptions; the browser forgets its own. */
export async function forgetThisDevice(): Promise<void> {
  const subscription = await currentSubscription();
  await subscription?.unsubscribe();
}

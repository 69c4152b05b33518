/**
 * Signing out in one tab signs out every tab of the browser (UI.md): the tab that signed out says so
 * on a BroadcastChannel, and the others go to /login at once instead of sitting on "Reconnecting…"
 * until their socket is refused.
 */
const CHANNEL = 'parley:auth';

export function announceSignOut(): void {
  if (!('BroadcastChannel' in window)) return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ type: 'signed-out' });
  channel.close();
}

/** Calls `onSignedOut` when another tab of this browser signs out; returns the unsubscribe. */
export function onSignOutElsewhere(onSignedOut: () => void): () => void {
  if (!('BroadcastChannel' in window)) return () => {};
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent) => {
    if ((event.data as { type?: string } | null)?.type === 'signed-out') onSignedOut();
  };
  return () => channel.close();
}

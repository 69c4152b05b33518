/** Why this browser cannot take push notifications, in words for the person; null when it can. */
export function pushUnavailableReason(): string | null {
  if (!window.isSecureContext) {
    return 'Push notifications need a secure connection (https). Open Parley over https to turn them on.';
  }
  if (!('serviceWorker' in navigator)) {
    return 'This browser does not support service workers, which push notifications need.';
  }
  if (!('PushManager' in window) || !('Notification' in window)) {
    return 'This browser does not support push notifications.';
  }
  if (window.Notification.permission === 'denied') {
    return 'Notifications are blocked for this site. Allow them in your browser’s site settings, then reload.';
  }
  return null;
}

/** The VAPID key as PushManager.subscribe wants it. */
export function applicationServerKey(base64Url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64Url.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

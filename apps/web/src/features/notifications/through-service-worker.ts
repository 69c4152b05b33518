/** A notification as the service worker (public/sw.js) takes it from a page: the push payload's shape. */
export interface WorkerNotification {
  conversationId: number;
  messageId?: number | undefined;
  title: string;
  body: string;
  url: string;
}

/**
 * Hands a notification to the service worker controlling this page, which shows it unless a push
 * already did for the same message, under the conversation's tag (ADR 036). False when no worker
 * controls the page: the caller shows it itself.
 */
export function notifyThroughServiceWorker(notification: WorkerNotification): boolean {
  const worker = 'serviceWorker' in navigator ? navigator.serviceWorker.controller : null;
  if (!worker) return false;
  worker.postMessage({ type: 'notify', notification });
  return true;
}

// The push feature's public surface (web push, the service worker, installability): other features and
// app/ import from here, never from its files.
export { reportAttention } from './attention.ts';
export { PushNotificationsCheckbox } from './components/push-notifications-checkbox.tsx';
export { followServiceWorker, registerServiceWorker } from './service-worker.ts';
export { forgetThisDevice, resyncThisDevice } from './subscription.ts';

// The notifications feature's public surface: other features and app/ import from here, never from its files.
export { EnableNotificationsButton } from './components/enable-notifications-button.tsx';
export { useNotificationPermission } from './hooks/use-notification-permission.ts';
export { createNotifier, type Notifier } from './notifier.ts';

import { useCallback, useEffect, useState } from 'react';

type Permission = NotificationPermission | 'unsupported';

function read(): Permission {
  return 'Notification' in window ? window.Notification.permission : 'unsupported';
}

/** The current permission, kept in sync when it changes in the browser's site settings. */
export function useNotificationPermission(): [Permission, () => Promise<void>] {
  const [permission, setPermission] = useState<Permission>(read);

  useEffect(() => {
    const sync = () => setPermission(read());
    let status: PermissionStatus | undefined;
    navigator.permissions
      ?.query({ name: 'notifications' })
      .then((result) => {
        status = result;
        result.addEventListener('change', sync);
      })
      .catch(() => {});
    document.addEventListener('visibilitychange', sync);
    return () => {
      status?.removeEventListener('change', sync);
      document.removeEventListener('visibilitychange', sync);
    };
  }, []);

  const request = useCallback(async () => {
    if (!('Notification' in window)) return;
    try {
      await window.Notification.requestPermission();
    } finally {
      setPermission(read());
    }
  }, []);

  return [permission, request];
}

import { Button } from '../../../components/button.tsx';
import { BellIcon } from '../../../components/icons.tsx';
import { useNotificationPermission } from '../hooks/use-notification-permission.ts';

/** Asks for permission only when clicked, never on page load. */
export function EnableNotificationsButton() {
  const [permission, request] = useNotificationPermission();
  if (permission !== 'default') return null;
  return (
    <Button variant="ghost" size="sm" onClick={() => void request()}>
      <BellIcon className="size-4" />
      <span className="hidden sm:inline">Enable notifications</span>
      <span className="sr-only sm:hidden">Enable notifications</span>
    </Button>
  );
}

import { useId } from 'react';
import { usePushSubscription } from '../hooks/use-push-subscription.ts';

/**
 * "Push notifications on this device" (UI.md): subscribes this browser, or says why it cannot. Never
 * silent: a browser that cannot subscribe gets a disabled checkbox with the reason beside it, and a
 * subscription that fails says what the browser answered.
 */
export function PushNotificationsCheckbox() {
  const push = usePushSubscription();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const disabled = push.unavailable !== null || push.subscribed === null || push.busy;
  const hint =
    push.unavailable ??
    (push.busy
      ? 'Working…'
      : 'Hear about new messages while no Parley tab is open. Each device is turned on by itself.');
  return (
    <div className="flex flex-col gap-1.5">
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          className="size-4 accent-accent"
          checked={push.subscribed === true}
          disabled={disabled}
          aria-describedby={[hintId, push.error ? errorId : null].filter(Boolean).join(' ')}
          onChange={(event) => push.set(event.target.checked)}
        />
        <label htmlFor={id} className="text-sm font-medium text-fg">
          Push notifications on this device
        </label>
      </div>
      <p id={hintId} className="text-xs text-muted">
        {hint}
      </p>
      {push.error ? (
        <p id={errorId} role="alert" className="text-sm text-danger">
          {push.error}
        </p>
      ) : null}
    </div>
  );
}

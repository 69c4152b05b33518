import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../../lib/error-message.ts';
import { useNotificationPermission } from '../../notifications/index.ts';
import { pushUnavailableReason } from '../push-support.ts';
import { currentSubscription, resyncThisDevice, subscribeThisDevice, unsubscribeThisDevice } from '../subscription.ts';

export interface PushSubscriptionState {
  /** Why the browser cannot subscribe; the checkbox is disabled and says this. */
  unavailable: string | null;
  /** Null while the browser is being asked. */
  subscribed: boolean | null;
  busy: boolean;
  /** What went wrong with the last change, in words. */
  error: string | null;
  set(on: boolean): void;
}

export function usePushSubscription(): PushSubscriptionState {
  // Read for its re-render when the permission changes in the browser's settings: the reason may change.
  useNotificationPermission();
  const unavailable = pushUnavailableReason();
  const [subscribed, setSubscribed] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (unavailable) return;
    let live = true;
    currentSubscription()
      .then(async (subscription) => {
        if (subscription) await resyncThisDevice();
        if (live) setSubscribed(Boolean(subscription));
      })
      .catch((err) => {
        if (!live) return;
        setSubscribed(false);
        setError(errorMessage(err));
      });
    return () => {
      live = false;
    };
  }, [unavailable]);

  const set = useCallback((on: boolean) => {
    setBusy(true);
    setError(null);
    (on ? subscribeThisDevice() : unsubscribeThisDevice())
      .then(() => setSubscribed(on))
      .catch(async (err: unknown) => {
        const why = err instanceof Error && err.message ? err.message : errorMessage(err);
        setError(on ? `This browser could not subscribe: ${why}` : `Could not turn push off: ${why}`);
        setSubscribed(Boolean(await currentSubscription().catch(() => null)));
      })
      .finally(() => setBusy(false));
  }, []);

  return { unavailable, subscribed, busy, error, set };
}

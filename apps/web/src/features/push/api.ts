import type { PushKeyResponse, PushSubscriptionBody } from '@parley/contracts';
import { api } from '../../lib/api-client.ts';

export const fetchPushKey = () => api<PushKeyResponse>('/push/key');

export const saveSubscription = (body: PushSubscriptionBody) =>
  api<void>('/push/subscriptions', { method: 'POST', body });

export const deleteSubscription = (endpoint: string) =>
  api<void>('/push/subscriptions', { method: 'DELETE', body: { endpoint } });

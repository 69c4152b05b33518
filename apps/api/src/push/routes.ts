import { pushSubscriptionBody, pushUnsubscribeBody } from '@parley/contracts';
import type { Db } from '@parley/db';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import { subscribe, unsubscribe } from './service.ts';
import type { VapidKeys } from './vapid.ts';

export interface PushRouteDeps {
  db: Db;
  keys: () => Promise<VapidKeys>;
}

/** Mounted at /api/push (API.md, "Web push"). */
export function pushRouter({ db, keys }: PushRouteDeps): Router {
  const router = Router();

  router.get('/key', requireUser, async (_req, res) => {
    res.json({ publicKey: (await keys()).publicKey });
  });

  router.post('/subscriptions', requireUser, async (req, res) => {
    const body = parse(pushSubscriptionBody, req.body);
    const { created } = await subscribe(db, req.session.id, userId(req), body);
    res.status(created ? 201 : 200).end();
  });

  router.delete('/subscriptions', requireUser, async (req, res) => {
    const { endpoint } = parse(pushUnsubscribeBody, req.body);
    await unsubscribe(db, req.session.id, endpoint);
    res.status(204).end();
  });

  return router;
}

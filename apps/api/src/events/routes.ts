import { conversationParams, listEventsQuery } from '@parley/contracts';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import { type EventDeps, listEvents } from './service.ts';

/** Mounted at /api/conversations/:id, beside the conversation and message routes. */
export function eventsRouter(deps: EventDeps): Router {
  const router = Router({ mergeParams: true });

  router.get('/events', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const query = parse(listEventsQuery, req.query);
    res.json(await listEvents(deps, userId(req), id, query));
  });

  return router;
}

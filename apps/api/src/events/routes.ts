import { conversationParams, listEventsQuery } from '@parley/contracts';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import { checkAfter, type EventDeps, listEvents } from './service.ts';

/** Mounted at /api/conversations/:id, beside the conversation and message routes. */
export function eventsRouter(deps: EventDeps): Router {
  const router = Router({ mergeParams: true });

  router.get('/events', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const query = parse(listEventsQuery, req.query);
    const me = userId(req);
    await deps.reads.answer(req, res, {
      conversationId: id,
      userId: me,
      params: `events:${query.after}:${query.limit}`,
      check: ({ seq }) => checkAfter(query.after, seq),
      build: () => listEvents(deps, me, id, query),
      // A conversation:updated payload is the conversation as this caller sees it (their unread
      // count, their mute), and mute is no sequenced change: such pages are built for each read.
      shared: (page) => !page.events.some((e) => e.type === 'conversation:updated'),
    });
  });

  return router;
}

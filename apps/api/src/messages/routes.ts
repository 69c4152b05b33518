import { conversationParams, listMessagesQuery, markSeenBody, sendMessageBody } from '@parley/contracts';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import { listMessages, type MessageDeps, markSeen, sendMessage } from './service.ts';

/** Mounted at /api/conversations/:id, beside the conversation routes. */
export function messagesRouter(deps: MessageDeps): Router {
  const router = Router({ mergeParams: true });

  router.get('/messages', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const query = parse(listMessagesQuery, req.query);
    res.json(await listMessages(deps, userId(req), id, query));
  });

  router.post('/messages', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const body = parse(sendMessageBody, req.body);
    const { message, created } = await sendMessage(deps, userId(req), id, body);
    res.status(created ? 201 : 200).json({ message });
  });

  router.post('/seen', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const body = parse(markSeenBody, req.body);
    res.json(await markSeen(deps, userId(req), id, body.upToMessageId));
  });

  return router;
}

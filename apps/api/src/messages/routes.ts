import {
  conversationParams,
  editMessageBody,
  listMessagesQuery,
  markSeenBody,
  messageParams,
  reactionParams,
  sendMessageBody,
} from '@parley/contracts';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import {
  addMessageReaction,
  deleteMessage,
  editMessage,
  removeMessagePreview,
  removeMessageReaction,
} from './actions.ts';
import { listMessages, type MessageDeps, markSeen, sendMessage } from './service.ts';

/** Mounted at /api/conversations/:id, beside the conversation routes. */
export function messagesRouter(deps: MessageDeps): Router {
  const router = Router({ mergeParams: true });

  router.get('/messages', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const query = parse(listMessagesQuery, req.query);
    const me = userId(req);
    const { before = '', after = '', around = '', limit } = query;
    await deps.reads.answer(req, res, {
      conversationId: id,
      userId: me,
      params: `messages:${limit}:${before}:${after}:${around}`,
      build: () => listMessages(deps, me, id, query),
    });
  });

  router.post('/messages', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const body = parse(sendMessageBody, req.body);
    const { message, created } = await sendMessage(deps, userId(req), id, body);
    res.status(created ? 201 : 200).json({ message });
  });

  router.patch('/messages/:messageId', requireUser, async (req, res) => {
    const { id, messageId } = parse(messageParams, req.params);
    const { content } = parse(editMessageBody, req.body);
    res.json({ message: await editMessage(deps, userId(req), id, messageId, content) });
  });

  router.delete('/messages/:messageId', requireUser, async (req, res) => {
    const { id, messageId } = parse(messageParams, req.params);
    res.json({ message: await deleteMessage(deps, userId(req), id, messageId) });
  });

  router.put('/messages/:messageId/reactions/:emoji', requireUser, async (req, res) => {
    const { id, messageId, emoji } = parse(reactionParams, req.params);
    res.json({ message: await addMessageReaction(deps, userId(req), id, messageId, emoji) });
  });

  router.delete('/messages/:messageId/reactions/:emoji', requireUser, async (req, res) => {
    const { id, messageId, emoji } = parse(reactionParams, req.params);
    res.json({ message: await removeMessageReaction(deps, userId(req), id, messageId, emoji) });
  });

  router.delete('/messages/:messageId/preview', requireUser, async (req, res) => {
    const { id, messageId } = parse(messageParams, req.params);
    res.json({ message: await removeMessagePreview(deps, userId(req), id, messageId) });
  });

  router.post('/seen', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const body = parse(markSeenBody, req.body);
    res.json(await markSeen(deps, userId(req), id, body.upToMessageId));
  });

  return router;
}

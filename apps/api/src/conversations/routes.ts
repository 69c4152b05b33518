import { conversationParams, createConversationBody, renameConversationBody } from '@parley/contracts';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import {
  type ConversationDeps,
  closeConversation,
  createConversation,
  getConversation,
  listConversations,
  renameConversation,
} from './service.ts';

export function conversationsRouter(deps: ConversationDeps): Router {
  const router = Router();

  router.get('/', requireUser, async (req, res) => {
    res.json({ conversations: await listConversations(deps, userId(req)) });
  });

  router.post('/', requireUser, async (req, res) => {
    const body = parse(createConversationBody, req.body);
    res.status(201).json({ conversation: await createConversation(deps, userId(req), body) });
  });

  router.get('/:id', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    res.json({ conversation: await getConversation(deps, userId(req), id) });
  });

  router.patch('/:id', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const body = parse(renameConversationBody, req.body);
    res.json({ conversation: await renameConversation(deps, userId(req), id, body) });
  });

  router.post('/:id/close', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    res.json({ conversation: await closeConversation(deps, userId(req), id) });
  });

  return router;
}

import {
  addMembersBody,
  conversationParams,
  createConversationBody,
  memberParams,
  updateConversationBody,
} from '@parley/contracts';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import {
  addMembers,
  type ConversationDeps,
  closeConversation,
  createConversation,
  getConversation,
  listConversations,
  removeMember,
  setMute,
  updateConversation,
} from './service.ts';

export function conversationsRouter(deps: ConversationDeps): Router {
  const router = Router();

  router.get('/', requireUser, async (req, res) => {
    res.json({ conversations: await listConversations(deps, userId(req)) });
  });

  router.post('/', requireUser, async (req, res) => {
    const body = parse(createConversationBody, req.body);
    const { conversation, created } = await createConversation(deps, userId(req), body);
    res.status(created ? 201 : 200).json({ conversation });
  });

  router.get('/:id', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    res.json({ conversation: await getConversation(deps, userId(req), id) });
  });

  router.patch('/:id', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const body = parse(updateConversationBody, req.body);
    res.json({ conversation: await updateConversation(deps, userId(req), id, body) });
  });

  router.post('/:id/close', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    res.json({ conversation: await closeConversation(deps, userId(req), id) });
  });

  router.post('/:id/members', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    const body = parse(addMembersBody, req.body);
    res.json({ conversation: await addMembers(deps, userId(req), id, body) });
  });

  router.delete('/:id/members/:userId', requireUser, async (req, res) => {
    const params = parse(memberParams, req.params);
    await removeMember(deps, userId(req), params.id, params.userId);
    res.status(204).end();
  });

  router.put('/:id/mute', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    res.json({ conversation: await setMute(deps, userId(req), id, true) });
  });

  router.delete('/:id/mute', requireUser, async (req, res) => {
    const { id } = parse(conversationParams, req.params);
    res.json({ conversation: await setMute(deps, userId(req), id, false) });
  });

  return router;
}

import { listUsersQuery } from '@parley/contracts';
import type { Db } from '@parley/db';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import type { Presence } from '../realtime/presence.ts';
import { searchUsers, sharingAConversation } from './queries.ts';

export function usersRouter({ db, presence }: { db: Db; presence: Presence }): Router {
  const router = Router();
  router.get('/', requireUser, async (req, res) => {
    const { q, limit } = parse(listUsersQuery, req.query);
    const users = await searchUsers(db, userId(req), q.trim(), limit);
    // Presence is told only to people who share a conversation (API.md), so only they see `online`.
    const contacts = await sharingAConversation(
      db,
      userId(req),
      users.map((u) => u.id),
    );
    const online = await presence.onlineAmong([...contacts]);
    res.json({ users: users.map((u) => (contacts.has(u.id) ? { ...u, online: online.has(u.id) } : u)) });
  });
  return router;
}

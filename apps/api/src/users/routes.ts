import { listUsersQuery } from '@parley/contracts';
import type { Db } from '@parley/db';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import type { Presence } from '../realtime/presence.ts';
import { searchUsers } from './queries.ts';

export function usersRouter({ db, presence }: { db: Db; presence: Presence }): Router {
  const router = Router();
  router.get('/', requireUser, async (req, res) => {
    const { q, limit } = parse(listUsersQuery, req.query);
    const users = await searchUsers(db, userId(req), q.trim(), limit);
    const online = await presence.onlineAmong(users.map((u) => u.id));
    res.json({ users: users.map((u) => ({ ...u, online: online.has(u.id) })) });
  });
  return router;
}

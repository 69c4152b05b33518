import { listUsersQuery } from '@parley/contracts';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import { listUsers, type UserDeps } from './service.ts';

export function usersRouter(deps: UserDeps): Router {
  const router = Router();
  router.get('/', requireUser, async (req, res) => {
    const query = parse(listUsersQuery, req.query);
    res.json({ users: await listUsers(deps, userId(req), query) });
  });
  return router;
}

import { searchQuery } from '@parley/contracts';
import { Router } from 'express';
import { requireUser, userId } from '../auth/require-user.ts';
import { parse } from '../http/validate.ts';
import { type SearchDeps, searchMessages } from './service.ts';

/** Mounted at /api/search. */
export function searchRouter(deps: SearchDeps): Router {
  const router = Router();
  router.get('/', requireUser, async (req, res) => {
    const query = parse(searchQuery, req.query);
    res.json(await searchMessages(deps, userId(req), query));
  });
  return router;
}

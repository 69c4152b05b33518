import type { ListUsersQuery, User } from '@parley/contracts';
import type { Db } from '@parley/db';
import type { Presence } from '../realtime/presence.ts';
import { searchUsers } from './queries.ts';

export interface UserDeps {
  db: Db;
  presence: Presence;
}

/** Everyone else whose nickname contains `q`, each with whether they are online now. */
export async function listUsers({ db, presence }: UserDeps, meId: number, query: ListUsersQuery): Promise<User[]> {
  const users = await searchUsers(db, meId, query.q.trim(), query.limit);
  const online = await presence.onlineAmong(users.map((u) => u.id));
  return users.map((u) => ({ ...u, online: online.has(u.id) }));
}

import type { ListUsersQuery, User } from '@parley/contracts';
import type { Db } from '@parley/db';
import type { Presence } from '../realtime/presence.ts';
import { searchUsers, sharingAConversation } from './queries.ts';

export interface UserDeps {
  db: Db;
  presence: Presence;
}

/**
 * Everyone else whose nickname contains `q`. Whether they are online is told only about people who
 * share a conversation with the caller, as `presence` events are (API.md): absent for the others.
 */
export async function listUsers({ db, presence }: UserDeps, meId: number, query: ListUsersQuery): Promise<User[]> {
  const users = await searchUsers(db, meId, query.q.trim(), query.limit);
  const contacts = await sharingAConversation(
    db,
    meId,
    users.map((u) => u.id),
  );
  const online = await presence.onlineAmong([...contacts]);
  return users.map((u) => (contacts.has(u.id) ? { ...u, online: online.has(u.id) } : u));
}

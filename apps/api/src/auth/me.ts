import type { Me } from '@parley/contracts';
import type { UserRow } from '@parley/db';

export function toMe(user: UserRow): Me {
  return { id: user.id, nickname: user.nickname, email: user.email, createdAt: user.createdAt.toISOString() };
}

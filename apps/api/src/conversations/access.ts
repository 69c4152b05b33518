import type { Db } from '@parley/db';
import { AppError } from '../http/app-error.ts';
import { findMembership } from './queries.ts';

export type Membership = NonNullable<Awaited<ReturnType<typeof findMembership>>>;

/**
 * The one membership check every REST route and socket path goes through. A conversation the caller
 * is not in answers exactly like one that does not exist (API.md: existence is not leaked).
 */
export async function requireMember(
  db: Db,
  conversationId: number,
  userId: number,
  options: { lock?: boolean } = {},
): Promise<Membership> {
  const membership = await findMembership(db, conversationId, userId, options.lock);
  if (!membership) throw new AppError('not_found');
  return membership;
}

export function requireOwner(membership: Membership, userId: number): void {
  if (membership.ownerId !== userId) throw new AppError('forbidden', 'Only the owner can do this.');
}

export function requireOpen(membership: Membership): void {
  if (membership.closedAt) throw new AppError('conversation_closed');
}

/** Direct conversations cannot be renamed, closed, grown, left or given an owner (API.md). */
export function requireGroup(membership: Membership): void {
  if (membership.kind === 'direct') throw new AppError('direct_conversation');
}

import { LIMITS } from '@parley/contracts';

/**
 * Nicknames joined by ", " (API.md). A title has at most 100 characters, so a long list stops at the
 * last whole nickname that fits and ends with ", …" rather than cutting a name in half.
 */
export function titleFromNicknames(nicknames: string[]): string {
  const full = nicknames.join(', ');
  if (full.length <= LIMITS.titleMax) return full;
  let title = nicknames[0]!;
  for (const nickname of nicknames.slice(1)) {
    if (`${title}, ${nickname}, …`.length > LIMITS.titleMax) break;
    title = `${title}, ${nickname}`;
  }
  return `${title}, …`;
}

/**
 * The title `viewerId` sees, computed on every read so that it follows nickname changes: the custom
 * title; else the other person of a direct conversation; else the others in join order; else (alone)
 * the viewer's own nickname. `members` come in join order.
 */
export function titleFor(
  viewerId: number,
  conversation: { kind: 'group' | 'direct'; customTitle: string | null; members: { id: number; nickname: string }[] },
): string {
  if (conversation.customTitle) return conversation.customTitle;
  const others = conversation.members.filter((m) => m.id !== viewerId).map((m) => m.nickname);
  if (others.length === 0) return conversation.members.find((m) => m.id === viewerId)?.nickname ?? '';
  return titleFromNicknames(others);
}

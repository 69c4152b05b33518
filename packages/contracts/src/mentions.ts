/**
 * Mentions (API.md, Message text): `@` and a member's nickname, case-insensitive, the longest
 * nickname that matches, at the start or after whitespace or punctuation, followed by the end,
 * whitespace or punctuation; never inside a code span or fence. The server works out `mentions`
 * with this on every send and edit; the composer uses the same rules to suggest members.
 */

export interface Mentionable {
  id: number;
  nickname: string;
}

const boundary = /[\s\p{P}\p{S}]/u;
const isBoundary = (char: string | undefined) => char === undefined || boundary.test(char);

/** The text with code fences and code spans blanked out (same length), so nothing in them matches. */
export function withoutCode(text: string): string {
  const blank = (match: string) => match.replace(/[^\n]/g, ' ');
  return (
    text
      // A fence runs from a line of ``` to the next such line, or to the end when it is never closed.
      .replace(/^ {0,3}```[^\n]*\n[\s\S]*?(?:^ {0,3}```[^\n]*$|(?![\s\S]))/gm, blank)
      // A span is a run of backticks closed by the same run on the same paragraph.
      .replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)|(`+)(?!`)\2/g, blank)
  );
}

/** The member whose nickname follows the `@` at `at`, the longest one that fits, or undefined. */
function memberAt<T extends Mentionable>(text: string, at: number, bySize: T[]): T | undefined {
  if (!isBoundary(text[at - 1])) return undefined;
  const rest = text.slice(at + 1);
  const restLower = rest.toLowerCase();
  for (const member of bySize) {
    const nickname = member.nickname.toLowerCase();
    if (restLower.startsWith(nickname) && isBoundary(rest[nickname.length])) return member;
  }
  return undefined;
}

/** The ids of the members `text` mentions, each once, in the order first mentioned. */
export function findMentions(text: string, members: readonly Mentionable[]): number[] {
  if (!text.includes('@') || members.length === 0) return [];
  const plain = withoutCode(text);
  const bySize = [...members].sort((a, b) => b.nickname.length - a.nickname.length);
  const found: number[] = [];
  for (let at = plain.indexOf('@'); at !== -1; at = plain.indexOf('@', at + 1)) {
    const member = memberAt(plain, at, bySize);
    if (member && !found.includes(member.id)) found.push(member.id);
  }
  return found;
}

/**
 * The mention being typed at `caret`: the `@`'s index and what follows it up to the caret, or
 * undefined when the caret is not in one. Spaces are allowed (nicknames may hold them) up to a
 * nickname's length.
 */
export function mentionQueryAt(text: string, caret: number): { at: number; query: string } | undefined {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at === -1 || !isBoundary(before[at - 1])) return undefined;
  const query = before.slice(at + 1);
  if (query.length > 32 || /\n/.test(query) || /^\s/.test(query)) return undefined;
  return { at, query };
}

/**
 * Whether a message notifies one member (API.md, mute): never their own or a system entry; in a
 * muted conversation only when it mentions them. The web's in-tab notifications and the server's push
 * both decide with this.
 */
export function notifies(
  member: { id: number; muted: boolean },
  message: { kind: string; senderId: number; mentions: readonly number[] },
): boolean {
  if (message.kind !== 'user' || message.senderId === member.id) return false;
  return !member.muted || message.mentions.includes(member.id);
}

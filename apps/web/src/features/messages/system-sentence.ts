import type { SystemEntry } from '@parley/contracts';

function list(names: string[]): string {
  if (names.length <= 1) return names[0] ?? 'someone';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The sentence a system entry stands for ("Alice added Dave"); the API sends only what happened. */
export function systemSentence(entry: SystemEntry, sender: string, nameOf: (userId: number) => string): string {
  const who = list(entry.userIds.map(nameOf));
  switch (entry.action) {
    case 'members_added':
      return `${sender} added ${who}`;
    case 'member_removed':
      return `${sender} removed ${who}`;
    case 'member_left':
      return `${sender} left`;
    case 'renamed':
      return entry.title === null
        ? `${sender} removed the conversation’s title`
        : `${sender} renamed the conversation to ${entry.title}`;
    case 'closed':
      return `${sender} closed the conversation`;
    case 'owner_changed':
      return `${sender} made ${who} the owner`;
  }
}

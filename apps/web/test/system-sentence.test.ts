import { describe, expect, it } from 'vitest';
import { systemSentence } from '../src/features/messages/system-sentence.ts';

const names: Record<number, string> = { 2: 'Bob', 3: 'Carol', 4: 'Dave' };
const nameOf = (id: number) => names[id] ?? 'someone';
const say = (
  action: Parameters<typeof systemSentence>[0]['action'],
  userIds: number[] = [],
  title: string | null = null,
) => systemSentence({ action, userIds, title }, 'Alice', nameOf);

describe('system entry sentences (UI.md)', () => {
  it('says what happened, naming who', () => {
    expect(say('members_added', [4])).toBe('Alice added Dave');
    expect(say('members_added', [2, 3, 4])).toBe('Alice added Bob, Carol and Dave');
    expect(say('member_removed', [3])).toBe('Alice removed Carol');
    expect(systemSentence({ action: 'member_left', userIds: [2], title: null }, 'Bob', nameOf)).toBe('Bob left');
    expect(say('renamed', [], 'Plans')).toBe('Alice renamed the conversation to Plans');
    expect(say('renamed')).toBe('Alice removed the conversation’s title');
    expect(say('closed')).toBe('Alice closed the conversation');
    expect(say('owner_changed', [2])).toBe('Alice made Bob the owner');
  });
});

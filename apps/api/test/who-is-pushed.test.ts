import type { Message } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { plainText, pushPayload, shouldPush, topicOf, truncate, urgencyOf } from '../src/push/who-is-pushed.ts';

describe('who is pushed', () => {
  it('pushes a member who is not looking at a tab, unless they muted the conversation and are not mentioned', () => {
    expect(shouldPush({ looking: false, muted: false, mentioned: false })).toBe(true);
    expect(shouldPush({ looking: false, muted: false, mentioned: true })).toBe(true);
    expect(shouldPush({ looking: false, muted: true, mentioned: true })).toBe(true);
    expect(shouldPush({ looking: false, muted: true, mentioned: false })).toBe(false);
  });

  it('never pushes a member who has a visible tab, mentioned or not: the tab tells them', () => {
    expect(shouldPush({ looking: true, muted: false, mentioned: false })).toBe(false);
    expect(shouldPush({ looking: true, muted: false, mentioned: true })).toBe(false);
  });

  it('wakes the device (urgency high) for mentions only', () => {
    expect(urgencyOf(true)).toBe('high');
    expect(urgencyOf(false)).toBe('normal');
  });

  it('names the Topic after the conversation, within the 32 URL-safe base64 characters push services take', () => {
    const topic = topicOf(2_147_483_647);
    expect(topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(topicOf(1)).not.toBe(topicOf(2));
  });

  it('shows the text without its markup, at most 200 UTF-16 units, never half an emoji', () => {
    expect(plainText('**bold** *it* ~~gone~~ `code`\n> quoted\nsnake_case_name')).toBe(
      'bold it gone code quoted snake_case_name',
    );
    const cut = truncate(`${'a'.repeat(198)}😀😀`);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toBe(`${'a'.repeat(198)}…`);
    expect(truncate('short')).toBe('short');
  });

  it('titles a push with the sender, and the conversation as the recipient sees it unless it is direct', () => {
    const message = {
      id: 9,
      conversationId: 4,
      sender: { id: 1, nickname: 'Alice' },
      content: 'Hi *there*',
    } as Message;
    expect(pushPayload(message, { kind: 'group', title: 'Lunch' })).toEqual({
      conversationId: 4,
      messageId: 9,
      title: 'Alice in Lunch',
      body: 'Hi there',
      url: '/c/4',
    });
    expect(pushPayload(message, { kind: 'direct', title: 'Alice' }).title).toBe('Alice');
  });
});

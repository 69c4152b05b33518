import { describe, expect, it } from 'vitest';
import { contentSchema, nicknameSchema, text, titleSchema } from '../src/primitives.ts';

const nickname = (value: string) => nicknameSchema.safeParse(value);

describe('text', () => {
  it('refuses an unpaired surrogate, either half, and keeps a real pair', () => {
    expect(text().safeParse('a\uD800b').success).toBe(false);
    expect(text().safeParse('a\uDC00').success).toBe(false);
    expect(text().safeParse('\uDC00\uD800').success).toBe(false);
    expect(text().safeParse('ok 😀').success).toBe(true);
    expect(contentSchema.safeParse('hi \uD83D').success).toBe(false);
  });
});

describe('nicknames', () => {
  it('are NFKC-normalised and trimmed', () => {
    expect(nickname('  ｉｎｐｕｔ７ａ ').data).toBe('input7a');
    expect(nickname('Ann Lee').data).toBe('Ann Lee');
  });

  it('refuse invisible, format and direction characters', () => {
    for (const value of [
      'input7a\u200B', // zero-width space
      'in\u200Dput', // zero-width joiner
      'admin\u202Etxt.exe', // right-to-left override
      'input7a\u{E0061}', // a tag character
      'a\u2066b', // an isolate
      'a\u3164b', // Hangul filler
      'a\tb',
      'a\u2028b',
    ]) {
      expect(nickname(value).success, JSON.stringify(value)).toBe(false);
    }
  });

  it('need a letter or digit', () => {
    expect(nickname('\u200B\u200B').success).toBe(false);
    expect(nickname('...').success).toBe(false);
    expect(nickname('----').error?.issues[0]?.message).toBe('Nickname needs at least one letter or digit');
    expect(nickname('李').success).toBe(true);
  });
});

describe('titles', () => {
  it('refuse control and direction characters, and keep the rest', () => {
    expect(titleSchema.safeParse('Plans\u202Egnp.exe').success).toBe(false);
    expect(titleSchema.safeParse('a\u200Fb').success).toBe(false);
    expect(titleSchema.safeParse('a\u0007b').success).toBe(false);
    expect(titleSchema.safeParse('Team 🚀 — Q3').success).toBe(true);
  });
});

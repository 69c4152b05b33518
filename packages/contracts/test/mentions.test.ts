import { describe, expect, it } from 'vitest';
import { findMentions, mentionQueryAt, notifies } from '../src/mentions.ts';

const bob = { id: 2, nickname: 'Bob' };
const bobby = { id: 3, nickname: 'Bobby' };
const maryAnn = { id: 4, nickname: 'Mary Ann' };
const mary = { id: 5, nickname: 'Mary' };
const zoe = { id: 6, nickname: 'Zoë' };
const members = [bob, bobby, maryAnn, mary, zoe];

describe('findMentions', () => {
  it('matches a nickname whatever its case', () => {
    expect(findMentions('hi @bob', members)).toEqual([bob.id]);
    expect(findMentions('hi @BOB', members)).toEqual([bob.id]);
    expect(findMentions('@zOË look', members)).toEqual([zoe.id]);
  });

  it('needs the start, whitespace or punctuation before and the end, whitespace or punctuation after', () => {
    expect(findMentions('@Bob', members)).toEqual([bob.id]);
    expect(findMentions('(@Bob), ok', members)).toEqual([bob.id]);
    expect(findMentions('thanks @Bob!', members)).toEqual([bob.id]);
    expect(findMentions('@Bob’s idea', members)).toEqual([bob.id]);
    expect(findMentions('**@Bob** and ~~@Mary~~', members)).toEqual([bob.id, mary.id]);
    expect(findMentions('line one\n@Bob\tthere', members)).toEqual([bob.id]);
    // A nickname that merely starts the word is no mention.
    expect(findMentions('@Bobcat', members)).toEqual([]);
    expect(findMentions('@Bob2', members)).toEqual([]);
  });

  it('takes the longest nickname that matches', () => {
    expect(findMentions('@Bobby, hi', members)).toEqual([bobby.id]);
    expect(findMentions('@Mary Ann is here', members)).toEqual([maryAnn.id]);
    expect(findMentions('@Mary Anne is here', members)).toEqual([mary.id]);
    expect(findMentions('@mary', members)).toEqual([mary.id]);
  });

  it('knows only the members it is given', () => {
    expect(findMentions('@Carol and @Bob', members)).toEqual([bob.id]);
    expect(findMentions('@Bob', [])).toEqual([]);
    expect(findMentions('@', members)).toEqual([]);
    expect(findMentions('@ Bob', members)).toEqual([]);
  });

  it('does not read e-mail-like text as a mention', () => {
    expect(findMentions('write to bob@example.com', [...members, { id: 9, nickname: 'example' }])).toEqual([]);
    expect(findMentions('mail mary@bob', members)).toEqual([]);
  });

  it('skips code spans and fences', () => {
    expect(findMentions('run `@Bob` now', members)).toEqual([]);
    expect(findMentions('```\n@Bob\n```\n@Mary', members)).toEqual([mary.id]);
    expect(findMentions('```js\nping(@Bob)', members)).toEqual([]);
    expect(findMentions('a `b` @Bob `c`', members)).toEqual([bob.id]);
  });

  it('lists each member once, in the order first mentioned', () => {
    expect(findMentions('@Mary @Bob @mary @BOB', members)).toEqual([mary.id, bob.id]);
  });

  it('on an edit, tells which mentions the edit adds', () => {
    const before = findMentions('@Bob see this', members);
    const after = findMentions('@Bob see this, @Mary', members);
    expect(after.filter((id) => !before.includes(id))).toEqual([mary.id]);
  });
});

describe('mentionQueryAt', () => {
  it('finds the mention being typed at the caret', () => {
    expect(mentionQueryAt('hi @Bo', 6)).toEqual({ at: 3, query: 'Bo' });
    expect(mentionQueryAt('@', 1)).toEqual({ at: 0, query: '' });
    expect(mentionQueryAt('hi @Mary A', 10)).toEqual({ at: 3, query: 'Mary A' });
  });

  it('is nothing outside one', () => {
    expect(mentionQueryAt('bob@exa', 7)).toBeUndefined();
    expect(mentionQueryAt('hello', 5)).toBeUndefined();
    expect(mentionQueryAt('@ x', 3)).toBeUndefined();
    expect(mentionQueryAt('@bob\nnext', 9)).toBeUndefined();
  });
});

describe('notifies', () => {
  const message = (mentions: number[], kind = 'user', senderId = 1) => ({ kind, senderId, mentions });
  it('tells every other member, in a muted conversation only those mentioned, never of system entries', () => {
    expect(notifies({ id: 2, muted: false }, message([]))).toBe(true);
    expect(notifies({ id: 2, muted: true }, message([]))).toBe(false);
    expect(notifies({ id: 2, muted: true }, message([2]))).toBe(true);
    expect(notifies({ id: 1, muted: false }, message([1]))).toBe(false);
    expect(notifies({ id: 2, muted: false }, message([2], 'system'))).toBe(false);
  });
});

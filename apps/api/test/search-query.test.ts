import { describe, expect, it } from 'vitest';
import { highlightsOf } from '../src/search/highlights.ts';
import { containsPattern, parseSearch, toTsquery } from '../src/search/query.ts';

describe('parsing a search', () => {
  it('reads words, "phrases" and -exclusions as websearch_to_tsquery does, every word a prefix', () => {
    const { terms } = parseSearch('Meet "blue whale" -lunch -"red fox" don\'t');
    expect(terms).toEqual([
      { kind: 'words', words: ['meet'], negated: false },
      { kind: 'words', words: ['blue', 'whale'], negated: false },
      { kind: 'words', words: ['lunch'], negated: true },
      { kind: 'words', words: ['red', 'fox'], negated: true },
      { kind: 'words', words: ['don', 't'], negated: false },
    ]);
    expect(toTsquery(terms)).toBe(
      "('meet':*) & ('blue':* <-> 'whale':*) & !('lunch':*) & !('red':* <-> 'fox':*) & ('don':* <-> 't':*)",
    );
  });

  it('keeps tsquery and LIKE syntax out of what reaches the database', () => {
    expect(toTsquery(parseSearch("a:* | b & !c <-> 'd' \\e").terms)).toBe(
      "('a':*) & ('b':*) & ('c':*) & ('d':*) & ('e':*)",
    );
    expect(parseSearch('!!! & |').matchesNothing).toBe(true);
    expect(containsPattern('100%_\\x')).toBe('%100\\%\\_\\\\x%');
  });

  it('makes a substring of text in scripts without spaces, and finds nothing for exclusions alone', () => {
    expect(parseSearch('上海 -東京タワー').terms).toEqual([
      { kind: 'substring', text: '上海', negated: false },
      { kind: 'substring', text: '東京タワー', negated: true },
    ]);
    expect(parseSearch('-word').matchesNothing).toBe(true);
    expect(parseSearch('word -other').matchesNothing).toBe(false);
  });
});

describe('highlights', () => {
  const marks = (content: string, q: string) =>
    highlightsOf(content, parseSearch(q).terms).map(([s, e]) => content.slice(s, e));

  it('mark the matched prefix of each word, whole phrases, and substrings', () => {
    expect(marks('Meeting meets MEETUP', 'meet')).toEqual(['Meet', 'meet', 'MEET']);
    expect(marks('the blue whale and a blue sky', '"blue wh" sky')).toEqual(['blue wh', 'sky']);
    expect(marks('我明天去上海出差，上海很好', '上海')).toEqual(['上海', '上海']);
    expect(marks('nothing here', 'else')).toEqual([]);
  });

  it('are UTF-16 ranges of the content, across emoji and the markup that was dropped', () => {
    const content = '👍🏽 **bold** and *it*alic';
    const ranges = highlightsOf(content, parseSearch('bold ital').terms);
    expect(ranges).toEqual([
      [7, 11],
      [19, 24],
    ]);
    // "ital" spans the italic's closing star: the range covers it, as the reader sees one word.
    expect(ranges.map(([s, e]) => content.slice(s, e))).toEqual(['bold', 'it*al']);
  });

  it('merge overlapping matches and never mark what was excluded', () => {
    expect(highlightsOf('abcdef abc', parseSearch('abc abcd -abc').terms)).toEqual([
      [0, 4],
      [7, 10],
    ]);
  });
});

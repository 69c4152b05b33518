import { describe, expect, it } from 'vitest';
import { plainText, toPlainText } from '../src/plain-text.ts';

describe('the plain text of a message', () => {
  it('drops the markup of the dialect and keeps the words', () => {
    expect(toPlainText('**bold** *it* ~~gone~~ `a*b*c`')).toBe('bold it gone a*b*c');
    expect(toPlainText('see **上**海')).toBe('see 上海');
    expect(toPlainText('> quoted\n> > twice\nplain')).toBe('quoted\ntwice\nplain');
    expect(toPlainText('```js\nconst x = 1;\n```\nafter')).toBe('\nconst x = 1;\n\nafter');
    expect(toPlainText('hi @Carol, mail bob@example.com')).toBe('hi Carol, mail bob@example.com');
  });

  it('keeps what is not markup: a lone star, snake_case, a single tilde', () => {
    expect(toPlainText('2 * 3 and 2*3')).toBe('2 * 3 and 2*3');
    expect(toPlainText('snake_case_names ~approx')).toBe('snake_case_names ~approx');
    expect(toPlainText('**unclosed')).toBe('**unclosed');
  });

  it('maps every character back to its UTF-16 offset in the content', () => {
    const content = '🎉 **hi** `x`';
    const { text, sourceIndex } = plainText(content);
    expect(text).toBe('🎉 hi x');
    expect([...text].length).toBe(6);
    for (let i = 0; i < text.length; i++) expect(content[sourceIndex[i]!]).toBe(text[i]);
    expect(sourceIndex.at(-1)).toBe(content.length);
  });
});

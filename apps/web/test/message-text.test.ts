import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { rgiEmoji } from '../src/features/messages/api.ts';
import { loadMessageMarkup } from '../src/features/messages/text/markup-loader.ts';
import { MessageText, plainMessageText } from '../src/features/messages/text/message-text.tsx';

const html = (text: string) => renderToStaticMarkup(createElement(MessageText, { text, own: false }));
// The markup inside the wrapper, without the link's classes, to keep expectations readable.
const inner = (text: string) =>
  html(text)
    .replace(/^<div[^>]*>|<\/div>$/g, '')
    .replace(/ class="[^"]*"/g, '');

describe('message text', () => {
  it('shows the plain text, white space kept, until the Markdown renderer has loaded', () => {
    expect(html('**bold**\nnext')).toMatch(/^<div[^>]*><p>\*\*bold\*\*\nnext<\/p><\/div>$/);
  });

  it('keeps the plain paragraph as the rendered one when the renderer arrives (no new element to paint)', async () => {
    const { renderMessageText } = await import('../src/features/messages/text/message-markup.tsx');
    for (const text of ['**bold** and `code`', 'one\n\ntwo', 'see https://example.com']) {
      const [plain] = plainMessageText(text) as ReactElement[];
      const [rendered] = renderMessageText(text, false) as ReactElement[];
      expect([rendered?.type, rendered?.key]).toEqual([plain?.type, plain?.key]);
    }
  });

  describe('once the renderer has loaded', () => {
    beforeAll(async () => {
      await loadMessageMarkup();
    });

    it('renders the dialect: bold, italic with one star, strike, code, quote', () => {
      expect(inner('**bold** *it* ~~gone~~ `x < y`')).toBe(
        '<p><strong>bold</strong> <em>it</em> <s>gone</s> <code>x &lt; y</code></p>',
      );
      expect(inner('> quoted\nplain')).toBe('<blockquote><p>quoted\nplain</p></blockquote>');
      expect(inner('```\nconst a = <b>;\n```')).toBe('<pre><code>const a = &lt;b&gt;;</code></pre>');
    });

    it('keeps underscores literal, so snake_case_names and __init__ survive', () => {
      expect(inner('call snake_case_name or _this_ or __init__')).toBe(
        '<p>call snake_case_name or _this_ or __init__</p>',
      );
    });

    it('turns a single newline into a line break', () => {
      expect(inner('one\ntwo')).toBe('<p>one\ntwo</p>');
    });

    it('never renders HTML from the text', () => {
      const out = html('<img src=x onerror=alert(1)> <script>alert(1)</script> &amp;');
      expect(out).not.toContain('<img');
      expect(out).not.toContain('<script');
      expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(out).toContain('&amp;amp;');
    });

    it('leaves headings, lists, images, tables and [text](url) links as typed', () => {
      expect(inner('# title')).toBe('<p># title</p>');
      expect(inner('- item')).toBe('<p>- item</p>');
      expect(inner('![alt](https://example.com/a.png)')).toBe(
        '<p>![alt](<a href="https://example.com/a.png" target="_blank" rel="noopener noreferrer">https://example.com/a.png</a>)</p>',
      );
      expect(inner('| a | b |\n|---|---|')).toBe('<p>| a | b |\n|---|---|</p>');
      expect(inner('[here](javascript:alert(1))')).toBe('<p>[here](javascript:alert(1))</p>');
    });

    it('links http, https and mailto with rel="noopener noreferrer", nothing else', () => {
      expect(inner('see https://example.com/a_b?x=1 now')).toBe(
        '<p>see <a href="https://example.com/a_b?x=1" target="_blank" rel="noopener noreferrer">https://example.com/a_b?x=1</a> now</p>',
      );
      expect(inner('mail bob@example.com')).toBe(
        '<p>mail <a href="mailto:bob@example.com" target="_blank" rel="noopener noreferrer">bob@example.com</a></p>',
      );
      expect(inner('ftp://example.com javascript:alert(1) //example.com readme.md')).toBe(
        '<p>ftp://example.com javascript:alert(1) //example.com readme.md</p>',
      );
    });

    it('lets a long word wrap inside its bubble', () => {
      expect(html('x'.repeat(320))).toMatch(/^<div class="[^"]*\[overflow-wrap:anywhere\]/);
    });
  });

  describe('reaction emoji', () => {
    it('names an emoji by its RGI sequence, dropping a variation selector only where RGI has none', () => {
      expect(rgiEmoji('👍\uFE0F')).toBe('👍');
      expect(rgiEmoji('❤\uFE0F')).toBe('❤\uFE0F');
      expect(rgiEmoji('👩🏽‍💻')).toBe('👩🏽‍💻');
    });
  });
});

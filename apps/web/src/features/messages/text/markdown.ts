import type { Token } from 'markdown-it';
import MarkdownIt from 'markdown-it';

/**
 * The contract's Markdown dialect ("Message text" in API.md) and nothing else: the `zero` preset
 * turns every rule off, then only the dialect's are turned on. No HTML (`html: false`), headings,
 * lists, images, tables, entities, backslash escapes or `[text](url)` links: such text stays literal.
 */
const md = new MarkdownIt('zero', { html: false, breaks: true, linkify: true });
md.enable(['fence', 'blockquote', 'newline', 'backticks', 'strikethrough', 'emphasis', 'linkify']);

// Only typed URLs become links: without this, "readme.md" would be a link to a Moldovan host.
md.linkify.set({ fuzzyLink: false, fuzzyIP: false, fuzzyEmail: true });

const SAFE_HREF = /^(https?:|mailto:)/i;
// Also consulted by linkify, so `ftp:` and `//host` never become links either.
md.validateLink = (url) => SAFE_HREF.test(url);

// Emphasis is `*` only: an `_` is taken as plain text before the emphasis rule can see it, so
// snake_case_names and __dunder__ stay literal.
const UNDERSCORE = 0x5f;
md.inline.ruler.before('emphasis', 'literal_underscore', (state, silent) => {
  if (state.src.charCodeAt(state.pos) !== UNDERSCORE) return false;
  if (!silent) state.pending += '_';
  state.pos++;
  return true;
});

export type { Token };

/** The block tokens of a message's content (inline tokens carry `children`). */
export function parseMessageText(text: string): Token[] {
  return md.parse(text, {});
}

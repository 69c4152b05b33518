/**
 * What a search asks for, parsed from the user's text with `websearch_to_tsquery`'s syntax (API.md,
 * "Search"): words, "quoted phrases" and `-excluded` ones. Every word matches as a prefix; text in a
 * script written without spaces matches as a substring. The database never sees the raw text: the
 * tsquery is built here from words that hold only letters, marks and digits (ADR 037).
 */
export type SearchTerm =
  /** Consecutive words, each matched as a prefix of a word of the message (one word is a phrase of one). */
  | { kind: 'words'; words: string[]; negated: boolean }
  /** A substring of the plain text, for Chinese, Japanese and Korean. */
  | { kind: 'substring'; text: string; negated: boolean };

export interface ParsedSearch {
  terms: SearchTerm[];
  /** A search with no term that must match finds nothing: exclusions alone would be every message. */
  matchesNothing: boolean;
}

/** Words as PostgreSQL's parser splits them for the `simple` configuration, lower-cased. */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const NO_SPACES_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CHUNK = /(-?)"([^"]*)"?|(-?)([^\s"]+)/g;

export function wordsOf(text: string): { word: string; start: number; end: number }[] {
  return [...text.matchAll(WORD)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}

export const hasNoSpacesScript = (text: string) => NO_SPACES_SCRIPT.test(text);

export function parseSearch(q: string): ParsedSearch {
  const terms: SearchTerm[] = [];
  for (const m of q.matchAll(CHUNK)) {
    const quoted = m[2] !== undefined;
    const negated = (quoted ? m[1] : m[3]) === '-';
    const chunk = (quoted ? m[2] : m[4]) ?? '';
    if (hasNoSpacesScript(chunk)) {
      const text = chunk.trim().toLowerCase();
      if (text) terms.push({ kind: 'substring', text, negated });
      continue;
    }
    // "don't" or "e-mail" unquoted are one chunk of two words: a phrase, as websearch_to_tsquery reads them.
    const words = wordsOf(chunk.toLowerCase()).map((w) => w.word);
    if (words.length > 0) terms.push({ kind: 'words', words, negated });
  }
  return { terms, matchesNothing: !terms.some((t) => !t.negated) };
}

/** A lexeme as a tsquery literal, quoted and escaped even though words hold no quote or backslash. */
const lexeme = (word: string) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`;

/** The tsquery of the word terms (`to_tsquery('simple', …)`), or undefined when there are none. */
export function toTsquery(terms: SearchTerm[]): string | undefined {
  const parts = terms.flatMap((t) => {
    if (t.kind !== 'words') return [];
    const phrase = t.words.map(lexeme).join(' <-> ');
    return [t.negated ? `!(${phrase})` : `(${phrase})`];
  });
  return parts.length > 0 ? parts.join(' & ') : undefined;
}

/** An ILIKE pattern that matches `text` anywhere, its wildcards escaped. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

import { plainText } from '@parley/contracts';
import { type SearchTerm, wordsOf } from './query.ts';

export type Range = [start: number, end: number];

/**
 * Where the search's terms matched in `content`: [start, end) in UTF-16 offsets (JavaScript's own
 * string offsets, so an emoji counts two), ascending and disjoint. Found on the plain text, the same
 * text the database matched, then mapped back through the markup that was dropped. A word term marks
 * the prefix that matched, a phrase its words and what lies between them, a substring itself.
 */
export function highlightsOf(content: string, terms: SearchTerm[]): Range[] {
  const { text, sourceIndex } = plainText(content);
  const words = wordsOf(text);
  const found: Range[] = [];
  for (const term of terms) {
    if (term.negated) continue;
    if (term.kind === 'substring') found.push(...substrings(text, term.text));
    else found.push(...phrases(words, term.words));
  }
  const inContent = found.map(([s, e]): Range => [sourceIndex[s]!, sourceIndex[e - 1]! + 1]);
  return merged(inContent);
}

/** How much of `word` the lower-cased `prefix` covers, or 0 when it is not its prefix. */
function prefixLength(word: string, prefix: string): number {
  const lower = word.toLowerCase();
  if (!lower.startsWith(prefix)) return 0;
  // Lower-casing can change a word's length (İ becomes two units): then the whole word is marked.
  return lower.length === word.length ? prefix.length : word.length;
}

function phrases(words: { word: string; start: number; end: number }[], phrase: string[]): Range[] {
  const ranges: Range[] = [];
  for (let i = 0; i + phrase.length <= words.length; i++) {
    let end = 0;
    for (let k = 0; k < phrase.length; k++) {
      const w = words[i + k]!;
      const length = prefixLength(w.word, phrase[k]!);
      if (length === 0) {
        end = 0;
        break;
      }
      end = w.start + length;
    }
    if (end > 0) ranges.push([words[i]!.start, end]);
  }
  return ranges;
}

function substrings(text: string, needle: string): Range[] {
  const lower = text.toLowerCase();
  const haystack = lower.length === text.length ? lower : text;
  const ranges: Range[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
    ranges.push([at, at + needle.length]);
  }
  return ranges;
}

function merged(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Range[] = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/**
 * A message's text without the markup of the Markdown dialect (API.md, "Message text"): what search
 * indexes and what notifications show. It is the one rule both use, so the server stores exactly the
 * text that highlights are later computed on.
 *
 * Dropped: the delimiters of `**bold**`, `*italic*`, `~~strike~~` and `` `code` ``, fence lines of code
 * blocks, the `> ` of quotes, and the `@` that starts a mention. Kept: everything else, newlines
 * included (so words on two lines stay two words). The text inside code is kept literally.
 */
export interface PlainText {
  text: string;
  /**
   * `sourceIndex[i]` is the UTF-16 offset in the content of `text[i]`; one more entry at the end is
   * the content's length, so a range [start, end) of the text maps back to the content.
   */
  sourceIndex: number[];
}

const FENCE = /^ {0,3}(```|~~~)/;
const QUOTE = /^(?: {0,3}> ?)+/;
const SPACE = /\s/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;
const WORD = /[\p{L}\p{M}\p{N}]/u;

export function plainText(content: string): PlainText {
  const kept: string[] = [];
  const sourceIndex: number[] = [];
  const keep = (from: number, to: number) => {
    for (let k = from; k < to; k++) {
      kept.push(content[k]!);
      sourceIndex.push(k);
    }
  };

  /** CommonMark's flanking rules: whether a run of `*` or `~` could open or close emphasis. */
  const flanking = (start: number, end: number, lineStart: number, lineEnd: number) => {
    const before = start > lineStart ? content[start - 1]! : ' ';
    const after = end < lineEnd ? content[end]! : ' ';
    const spaceBefore = SPACE.test(before);
    const spaceAfter = SPACE.test(after);
    const punctBefore = PUNCTUATION.test(before);
    const punctAfter = PUNCTUATION.test(after);
    return {
      opens: !spaceAfter && (!punctAfter || spaceBefore || punctBefore),
      closes: !spaceBefore && (!punctBefore || spaceAfter || punctAfter),
    };
  };

  const inline = (from: number, to: number) => {
    // First the delimiter runs outside code spans; a run is markup only when it pairs with another.
    type Run = { start: number; end: number; ch: string; opens: boolean; closes: boolean; markup: boolean };
    const runs: Run[] = [];
    const codeSpans = new Map<number, number>();
    for (let i = from; i < to; ) {
      const ch = content[i]!;
      if (ch === '`') {
        const close = content.indexOf('`', i + 1);
        if (close !== -1 && close < to) {
          codeSpans.set(i, close);
          i = close + 1;
          continue;
        }
      }
      if (ch === '*' || ch === '~') {
        let end = i;
        while (end < to && content[end] === ch) end++;
        if (ch === '*' || end - i >= 2) runs.push({ start: i, end, ch, ...flanking(i, end, from, to), markup: false });
        i = end;
        continue;
      }
      i++;
    }
    const open: Run[] = [];
    for (const run of runs) {
      const opener = run.closes ? open.findLastIndex((o) => o.ch === run.ch) : -1;
      if (opener !== -1) {
        open[opener]!.markup = true;
        run.markup = true;
        open.splice(opener);
      } else if (run.opens) open.push(run);
    }
    const markupAt = new Map(runs.filter((r) => r.markup).map((r) => [r.start, r.end]));

    for (let i = from; i < to; ) {
      const codeEnd = codeSpans.get(i);
      if (codeEnd !== undefined) {
        keep(i + 1, codeEnd);
        i = codeEnd + 1;
        continue;
      }
      const markupEnd = markupAt.get(i);
      if (markupEnd !== undefined) {
        i = markupEnd;
        continue;
      }
      if (content[i] === '@') {
        const before = i > from ? content[i - 1]! : ' ';
        const next = content[i + 1];
        if ((SPACE.test(before) || PUNCTUATION.test(before)) && next !== undefined && WORD.test(next)) {
          i++;
          continue;
        }
      }
      keep(i, i + 1);
      i++;
    }
  };

  let inFence = false;
  let lineStart = 0;
  while (lineStart <= content.length) {
    const newline = content.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? content.length : newline;
    const line = content.slice(lineStart, lineEnd);
    if (FENCE.test(line)) inFence = !inFence;
    else if (inFence) keep(lineStart, lineEnd);
    else inline(lineStart + (QUOTE.exec(line)?.[0].length ?? 0), lineEnd);
    if (newline !== -1) keep(newline, newline + 1);
    lineStart = lineEnd + 1;
  }
  sourceIndex.push(content.length);
  return { text: kept.join(''), sourceIndex };
}

/** Just the text, as search stores it. */
export const toPlainText = (content: string): string => plainText(content).text;

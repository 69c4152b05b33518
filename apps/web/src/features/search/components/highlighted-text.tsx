import { plainText } from '@parley/contracts';
import type { ReactNode } from 'react';

/**
 * A message's text without its markup, the parts that matched in `<mark>`. The server's ranges are
 * UTF-16 offsets into the content; the plain text keeps where each of its characters came from, so
 * a character is marked when its source lies in a range. Only text nodes: nothing is parsed as HTML.
 */
export function HighlightedText({ content, highlights }: { content: string; highlights: [number, number][] }) {
  const { text, sourceIndex } = plainText(content);
  const marked = (i: number) => highlights.some(([start, end]) => sourceIndex[i]! >= start && sourceIndex[i]! < end);
  const parts: ReactNode[] = [];
  let from = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i < text.length && marked(i) === marked(from)) continue;
    const piece = text.slice(from, i);
    parts.push(
      marked(from) ? (
        <mark key={from} className="rounded-sm bg-accent-soft font-semibold text-fg">
          {piece}
        </mark>
      ) : (
        piece
      ),
    );
    from = i;
  }
  return <>{parts}</>;
}

import { find } from 'linkifyjs';
import { memo, type ReactNode } from 'react';

/**
 * Plain text with clickable links and nothing else: React escapes every character, line breaks are kept
 * by `white-space: pre-wrap`, and only http(s)/mailto hrefs produced by linkify become anchors.
 */
export const MessageText = memo(function MessageText({ text, own }: { text: string; own: boolean }) {
  const parts: ReactNode[] = [];
  let cursor = 0;
  for (const link of find(text)) {
    if (!/^(https?:|mailto:)/i.test(link.href)) continue;
    if (link.start > cursor) parts.push(text.slice(cursor, link.start));
    parts.push(
      <a
        key={link.start}
        href={link.href}
        target="_blank"
        rel="noopener noreferrer"
        className={`underline underline-offset-2 [overflow-wrap:anywhere] ${own ? 'text-on-bubble-own' : 'text-accent'}`}
      >
        {link.value}
      </a>,
    );
    cursor = link.end;
  }
  if (cursor < text.length) parts.push(text.slice(cursor));
  return <p className="text-[15px] leading-snug break-words whitespace-pre-wrap">{parts}</p>;
});

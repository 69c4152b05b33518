import { memo, type ReactNode, useMemo } from 'react';
import { useMessageMarkup } from './markup-loader.ts';

/**
 * The text before the renderer is in: one paragraph keyed as the rendered Markdown's first block is
 * (message-markup.tsx), so React updates that element in place when the chunk arrives. A new element there
 * would count as a later largest contentful paint.
 */
export function plainMessageText(text: string): ReactNode[] {
  return [<p key="b0">{text}</p>];
}

/**
 * A message's content in the contract's Markdown dialect. Long words wrap anywhere, so a 320-character
 * token never widens the bubble or the history. Until the renderer's chunk is in, the same box holds the
 * plain text (white space kept), so the switch to rendered Markdown moves nothing but emphasis.
 */
export const MessageText = memo(function MessageText({ text, own }: { text: string; own: boolean }) {
  const render = useMessageMarkup();
  const content = useMemo(() => (render ? render(text, own) : plainMessageText(text)), [render, text, own]);
  return (
    <div className="text-[15px] leading-snug whitespace-pre-wrap [overflow-wrap:anywhere] [&_blockquote]:border-l-2 [&_blockquote]:border-current/40 [&_blockquote]:pl-2 [&_blockquote]:opacity-90 [&_p+p]:mt-1.5">
      {content}
    </div>
  );
});

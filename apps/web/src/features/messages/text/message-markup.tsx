import { Fragment, type ReactNode } from 'react';
import { parseMessageText, type Token } from './markdown.ts';

// The only elements a message can produce; any other token type renders its children only.
const TAGS: Record<string, 'p' | 'blockquote' | 'strong' | 'em' | 's'> = {
  paragraph_open: 'p',
  blockquote_open: 'blockquote',
  strong_open: 'strong',
  em_open: 'em',
  s_open: 's',
};

interface Frame {
  /** The opening token's type (`paragraph_open`, `link_open`…), null for one the dialect does not render. */
  tag: string | null;
  href?: string | undefined;
  children: ReactNode[];
}

/**
 * Turns markdown-it tokens into React elements, so that every character goes through React's escaping
 * and no HTML string is ever injected: what the dialect does not know stays text.
 */
function toReact(tokens: Token[], own: boolean): ReactNode[] {
  const root: Frame = { tag: null, children: [] };
  const stack: Frame[] = [root];
  let key = 0;
  const top = () => stack[stack.length - 1] ?? root;

  // A block at the top is keyed by its position, so the first one matches the plain paragraph shown before
  // this chunk loaded (message-text.tsx): React keeps that element, and the swap paints no new one.
  const nextKey = () => (top() === root ? `b${root.children.length}` : key++);

  const close = (frame: Frame): ReactNode => {
    const k = nextKey();
    if (frame.tag === 'link_open') {
      return (
        <a
          key={k}
          href={frame.href}
          target="_blank"
          rel="noopener noreferrer"
          className={`underline underline-offset-2 ${own ? 'text-on-bubble-own' : 'text-accent'}`}
        >
          {frame.children}
        </a>
      );
    }
    const Tag = frame.tag ? TAGS[frame.tag] : undefined;
    return Tag ? <Tag key={k}>{frame.children}</Tag> : <Fragment key={k}>{frame.children}</Fragment>;
  };

  const walk = (list: Token[]) => {
    for (const token of list) {
      if (token.type === 'inline') {
        walk(token.children ?? []);
      } else if (token.nesting === 1) {
        const tag = token.type in TAGS || token.type === 'link_open' ? token.type : null;
        const href = token.attrGet('href');
        stack.push({ tag, href: typeof href === 'string' ? href : undefined, children: [] });
      } else if (token.nesting === -1) {
        const frame = stack.pop();
        if (frame) top().children.push(close(frame));
      } else if (token.type === 'text') {
        top().children.push(token.content);
      } else if (token.type === 'softbreak' || token.type === 'hardbreak') {
        // A newline kept as text (the container keeps white space), so copied text keeps its lines.
        top().children.push('\n');
      } else if (token.type === 'code_inline') {
        top().children.push(
          <code key={nextKey()} className="rounded bg-black/10 px-1 font-mono text-[0.9em] dark:bg-white/15">
            {token.content}
          </code>,
        );
      } else if (token.type === 'fence') {
        top().children.push(
          <pre
            key={nextKey()}
            className="my-1 rounded-md bg-black/10 p-2 font-mono text-[13px] whitespace-pre-wrap dark:bg-white/15"
          >
            <code>{token.content.replace(/\n$/, '')}</code>
          </pre>,
        );
      }
    }
  };
  walk(tokens);
  return root.children;
}

/**
 * A message's content in the contract's Markdown dialect, as React elements. This module and markdown-it
 * are their own chunk (ADR 049): message-text.tsx shows the plain text until it has loaded.
 */
export function renderMessageText(text: string, own: boolean): ReactNode[] {
  return toReact(parseMessageText(text), own);
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useMatch, useNavigate } from 'react-router';
import { readSearchLocation, searchHref } from '../search-url.ts';

// Long enough that a word typed at speed is one request, short enough to feel live.
const DEBOUNCE_MS = 250;

const isTypingTarget = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * The top bar's searchbox. Ctrl+K (⌘K) focuses it from anywhere, "/" when not typing in a field.
 * Typing opens `/search?q=` once the typist pauses; Enter opens it at once; ArrowDown moves to the
 * first result. Opened from a conversation, the results page offers to keep to it.
 */
export function SearchBox() {
  const navigate = useNavigate();
  const location = useLocation();
  const inConversation = useMatch('/c/:conversationId');
  const onResults = location.pathname === '/search';
  const current = readSearchLocation(new URLSearchParams(location.search));
  const urlQ = onResults ? current.q : '';
  const [text, setText] = useState(urlQ);
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<number | undefined>(undefined);
  // The last query this box put in the URL: its own navigation must not overwrite what was typed since.
  const pushed = useRef<string | null>(null);

  // Back, forward and links change the URL under the box: it follows them.
  useEffect(() => {
    if (urlQ !== pushed.current) setText(urlQ);
    pushed.current = null;
  }, [urlQ]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
      const slash =
        event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTypingTarget(event.target);
      if (!shortcut && !slash) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const open = useCallback(
    (q: string) => {
      window.clearTimeout(timer.current);
      const fromId = inConversation ? Number(inConversation.params.conversationId) : undefined;
      const from = onResults ? current.from : Number.isInteger(fromId) ? fromId : undefined;
      const href = searchHref({ q, conversationId: onResults ? current.conversationId : undefined, from });
      if (`${location.pathname}${location.search}` === href) return;
      pushed.current = q;
      // While on the results page, typing refines the search in place instead of stacking history entries.
      navigate(href, { replace: onResults });
    },
    [inConversation, onResults, current.from, current.conversationId, location.pathname, location.search, navigate],
  );

  return (
    <search className="mx-1 min-w-16 flex-1 sm:mx-2 sm:max-w-sm">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          open(text);
        }}
      >
        <input
          ref={input}
          type="search"
          aria-label="Search messages"
          placeholder="Search messages"
          aria-keyshortcuts="Control+K /"
          maxLength={200}
          value={text}
          onChange={(event) => {
            const q = event.target.value;
            setText(q);
            window.clearTimeout(timer.current);
            if (q.trim() || onResults) timer.current = window.setTimeout(() => open(q), DEBOUNCE_MS);
          }}
          onKeyDown={(event) => {
            if (event.key !== 'ArrowDown') return;
            const first = document.querySelector<HTMLElement>('[data-search-result]');
            if (first) {
              event.preventDefault();
              first.focus();
            }
          }}
          className="h-9 w-full rounded-lg border border-line bg-surface-2 px-3 text-sm placeholder:text-muted focus:border-accent focus:outline-none"
        />
      </form>
    </search>
  );
}

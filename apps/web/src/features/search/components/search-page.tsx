import type { SearchResult } from '@parley/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { KeyboardEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Button } from '../../../components/button.tsx';
import { EmptyState } from '../../../components/empty-state.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { formatFull, formatListTime } from '../../../lib/format-time.ts';
import { searchQuery } from '../api.ts';
import { messageHref, readSearchLocation, searchHref } from '../search-url.ts';
import { HighlightedText } from './highlighted-text.tsx';

/** Up and Down move between results, so each is one key press from the next (Tab works too). */
function moveFocus(event: KeyboardEvent<HTMLElement>) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-search-result]')];
  const at = links.indexOf(document.activeElement as HTMLElement);
  if (at === -1) return;
  event.preventDefault();
  if (event.key === 'ArrowUp' && at === 0) {
    document.querySelector<HTMLElement>('input[aria-label="Search messages"]')?.focus();
    return;
  }
  links[Math.min(links.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
}

function ResultLink({ result }: { result: SearchResult }) {
  const { message } = result;
  return (
    <Link
      data-search-result
      to={messageHref(message.conversationId, message.id)}
      className="block rounded-lg px-3 py-2.5 hover:bg-surface-2 focus-visible:outline-2 focus-visible:outline-accent"
    >
      <span className="flex items-baseline gap-2">
        <span className="min-w-0 flex-1 truncate text-sm font-semibold">{result.conversationTitle}</span>
        <time
          dateTime={message.createdAt}
          title={formatFull(message.createdAt)}
          className="shrink-0 text-xs text-muted"
        >
          {formatListTime(message.createdAt)}
        </time>
      </span>
      <span className="mt-0.5 block text-xs font-medium text-muted">{message.sender.nickname}</span>
      <span className="mt-0.5 line-clamp-3 block text-sm break-words whitespace-pre-wrap">
        <HighlightedText content={message.content} highlights={result.highlights} />
      </span>
    </Link>
  );
}

/** `/search?q=`: the caller's messages that match, newest first, each opening its conversation at it. */
export function SearchPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const { q, conversationId, from } = readSearchLocation(new URLSearchParams(location.search));
  const query = q.trim();
  const search = useInfiniteQuery(searchQuery({ q: query, conversationId }));
  const results = search.data?.pages.flatMap((page) => page.results) ?? [];
  const scoped = conversationId !== undefined;

  return (
    <section aria-label="Search results" className="flex h-full min-h-0 flex-col">
      <header className="flex flex-wrap items-center gap-2 border-b border-line bg-surface px-4 py-3">
        <h1 className="mr-auto min-w-0 truncate text-base font-semibold">
          {query ? `Results for “${query}”` : 'Search messages'}
        </h1>
        {from !== undefined ? (
          <button
            type="button"
            aria-pressed={scoped}
            onClick={() =>
              navigate(searchHref({ q, conversationId: scoped ? undefined : from, from }), { replace: true })
            }
            className={`rounded-full border px-3 py-1 text-sm font-medium ${
              scoped ? 'border-accent bg-accent-soft text-fg' : 'border-line text-muted hover:bg-surface-2'
            }`}
          >
            Only this conversation
          </button>
        ) : null}
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {!query ? (
          <EmptyState title="Find any message">
            <p>
              Type in the search box. Every word matches the start of a word; use “quotes” for a phrase and -word to
              leave a word out.
            </p>
          </EmptyState>
        ) : search.isPending ? (
          <div className="flex h-full items-center justify-center">
            <Spinner label="Searching…" />
          </div>
        ) : search.isError && !search.data ? (
          <div role="alert" className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center">
            <p className="font-semibold">Couldn't search</p>
            <p className="text-sm text-muted">{errorMessage(search.error)}</p>
            <Button variant="secondary" onClick={() => void search.refetch()}>
              Try again
            </Button>
          </div>
        ) : results.length === 0 ? (
          <EmptyState title="No messages found">
            <p>
              Nothing {scoped ? 'in this conversation ' : ''}matches “{query}”.
            </p>
          </EmptyState>
        ) : (
          // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the links inside.
          <div className="p-2" onKeyDown={moveFocus}>
            <ul className="flex flex-col gap-0.5">
              {results.map((result) => (
                <li key={result.message.id}>
                  <ResultLink result={result} />
                </li>
              ))}
            </ul>
            {search.hasNextPage ? (
              <div className="flex justify-center p-3">
                <Button
                  variant="secondary"
                  disabled={search.isFetchingNextPage}
                  onClick={() => void search.fetchNextPage()}
                >
                  {search.isFetchingNextPage ? 'Loading…' : 'Show older results'}
                </Button>
              </div>
            ) : null}
            {search.isFetchNextPageError ? (
              <p role="alert" className="p-3 text-center text-sm text-danger">
                {errorMessage(search.error)}
              </p>
            ) : null}
          </div>
        )}
      </div>
    </section>
  );
}

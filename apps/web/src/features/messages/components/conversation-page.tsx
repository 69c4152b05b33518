import * as Tooltip from '@radix-ui/react-tooltip';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Button } from '../../../components/button.tsx';
import { EmptyState } from '../../../components/empty-state.tsx';
import { LockIcon } from '../../../components/icons.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { useRealtime } from '../../../lib/realtime-context.ts';
import { ConversationHeader, conversationQuery, conversationsQuery } from '../../conversations/index.ts';
import { messagesQuery } from '../api.ts';
import { ConversationUiProvider } from '../conversation-ui.tsx';
import { usePendingMessages } from '../outbox-provider.tsx';
import { Composer } from './composer.tsx';
import { MessageList, type MessageListHandle } from './message-list.tsx';
import { TypingIndicator } from './typing-indicator.tsx';

function NotFound() {
  return (
    <EmptyState title="Conversation not found">
      <p>It doesn't exist, or you are not one of its members.</p>
      <Link to="/" className="mt-3 inline-block font-medium text-accent hover:underline">
        Back to your conversations
      </Link>
    </EmptyState>
  );
}

function LoadError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <div role="alert" className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center">
      <p className="font-semibold">Couldn't open this conversation</p>
      <p className="text-sm text-muted">{errorMessage(error)}</p>
      <Button variant="secondary" onClick={retry}>
        Try again
      </Button>
    </div>
  );
}

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 400);
}

function ConversationView({ conversationId }: { conversationId: number }) {
  const queryClient = useQueryClient();
  const { reading } = useRealtime();
  const listRef = useRef<MessageListHandle>(null);
  const detail = useQuery({
    ...conversationQuery(conversationId),
    // Paint the header from the sidebar's copy at once; the detail request confirms it.
    placeholderData: () =>
      queryClient.getQueryData(conversationsQuery().queryKey)?.find((c) => c.id === conversationId),
  });
  const history = useQuery(messagesQuery(conversationId));
  // A history that arrives after the view opened (a cold load) mounts the list in a deferred render, which
  // React does in slices that let the page answer input, not in one long task. One already cached (a switch
  // between conversations) shows at once, and later pages and events always render at once, in step with the
  // outbox rows they replace.
  const [cachedOnOpen] = useState(() => history.data !== undefined);
  const listReady = useDeferredValue(history.data !== undefined, cachedOnOpen);
  const pending = usePendingMessages(conversationId);
  const [searchParams] = useSearchParams();
  // `/c/<id>?message=<id>` (a search result, a link): opened at that message, highlighted.
  const target = Number(searchParams.get('message'));
  const openAt = Number.isInteger(target) && target > 0 ? target : undefined;

  // While this view is open, its conversation is the one being read (for unread counts and notifications).
  useEffect(() => reading.open(conversationId), [reading, conversationId]);

  if (isNotFound(detail.error) || isNotFound(history.error)) return <NotFound />;
  const conversation = detail.data;
  if (!conversation) {
    if (detail.error) return <LoadError error={detail.error} retry={() => void detail.refetch()} />;
    return (
      <div className="flex h-full items-center justify-center">
        <Spinner label="Opening conversation…" />
      </div>
    );
  }

  return (
    // The tooltip provider lives here, with its only users, to keep it out of the first-paint bundle.
    <Tooltip.Provider delayDuration={200}>
      <ConversationUiProvider>
        <section className="flex h-full min-h-0 flex-col">
          <ConversationHeader conversation={conversation} />
          {history.data && listReady ? (
            <MessageList
              ref={listRef}
              conversation={conversation}
              window={history.data}
              pending={pending}
              openAt={openAt}
            />
          ) : history.error && !history.data ? (
            <div className="flex-1">
              <LoadError error={history.error} retry={() => void history.refetch()} />
            </div>
          ) : (
            <div className="flex flex-1 items-center justify-center">
              <Spinner label="Loading messages…" />
            </div>
          )}
          {conversation.closedAt ? (
            <p className="flex items-center justify-center gap-2 border-t border-line bg-surface px-4 py-4 text-sm text-muted">
              <LockIcon className="size-4" />
              This conversation is closed
            </p>
          ) : (
            <>
              <TypingIndicator conversationId={conversationId} members={conversation.members} />
              <Composer
                conversationId={conversationId}
                members={conversation.members}
                onSent={() => listRef.current?.scrollToEnd()}
                onReveal={(messageId) => listRef.current?.reveal(messageId)}
              />
            </>
          )}
        </section>
      </ConversationUiProvider>
    </Tooltip.Provider>
  );
}

export function ConversationPage() {
  const { conversationId } = useParams();
  const id = Number(conversationId);
  if (!Number.isInteger(id) || id <= 0) return <NotFound />;
  // A fresh view per conversation: scroll position, seen tracking and the draft belong to one.
  return <ConversationView key={id} conversationId={id} />;
}

import { useQuery } from '@tanstack/react-query';
import { Button } from '../../../components/button.tsx';
import { ChatIcon } from '../../../components/icons.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { useMe } from '../../auth/index.ts';
import { conversationsQuery } from '../queries.ts';
import { ConversationLink } from './conversation-link.tsx';
import { NewConversationButton } from './new-conversation-button.tsx';

function SidebarSkeleton() {
  return (
    <ul aria-hidden="true" className="flex flex-col gap-1 px-2">
      {[0, 1, 2, 3, 4].map((i) => (
        <li key={i} className="flex animate-skeleton items-center gap-3 px-3 py-2.5">
          <span className="size-10 rounded-full bg-surface-3" />
          <span className="flex flex-1 flex-col gap-2">
            <span className="h-3 w-2/3 rounded bg-surface-3" />
            <span className="h-3 w-1/2 rounded bg-surface-3" />
          </span>
        </li>
      ))}
    </ul>
  );
}

export function Sidebar() {
  const me = useMe();
  const { data, isPending, error, refetch, isFetching } = useQuery(conversationsQuery());

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex items-center justify-between gap-2 px-4 pt-4 pb-3">
        <h2 className="text-lg font-semibold tracking-tight">Chats</h2>
        <NewConversationButton />
      </div>
      <nav aria-label="Conversations" className="min-h-0 flex-1 overflow-y-auto pb-4">
        {isPending ? (
          <>
            <p className="sr-only" role="status">
              Loading conversations…
            </p>
            <SidebarSkeleton />
          </>
        ) : error && !data ? (
          <div role="alert" className="m-4 flex flex-col items-start gap-3 rounded-xl border border-line p-4 text-sm">
            <p className="font-medium">Couldn't load your conversations.</p>
            <p className="text-muted">{errorMessage(error)}</p>
            <Button size="sm" variant="secondary" onClick={() => void refetch()} disabled={isFetching}>
              Try again
            </Button>
          </div>
        ) : data.length === 0 ? (
          <div className="flex flex-col items-center gap-2 px-6 py-12 text-center">
            <ChatIcon className="size-8 text-muted" />
            <p className="font-medium">No conversations yet</p>
            <p className="text-sm text-muted">Start one with “New conversation” and pick who to talk to.</p>
          </div>
        ) : (
          <ul className="flex flex-col gap-0.5 px-2">
            {data.map((conversation) => (
              <li key={conversation.id}>
                <ConversationLink conversation={conversation} userId={me.id} />
              </li>
            ))}
          </ul>
        )}
      </nav>
    </div>
  );
}

import type { Conversation } from '@parley/contracts';
import { memo } from 'react';
import { NavLink } from 'react-router';
import { Avatar } from '../../../components/avatar.tsx';
import { formatListTime } from '../../../lib/format-time.ts';
import { useMinuteTick } from '../../../lib/minute-tick.ts';

interface ConversationLinkProps {
  conversation: Conversation;
  userId: number;
}

function previewOf(conversation: Conversation, userId: number): string {
  const last = conversation.lastMessage;
  if (!last) return conversation.closedAt ? 'Closed' : 'No messages yet';
  const who = last.sender.id === userId ? 'You' : last.sender.nickname;
  if (last.kind === 'system') return `${who} changed the conversation`;
  if (last.deletedAt) return `${who}: message deleted`;
  // A message of files alone has no text: its files' names stand in.
  const text = last.content.replace(/\s+/g, ' ') || last.attachments.map((a) => a.name).join(', ');
  return `${who}: ${text}`;
}

/** The last activity's time: re-rendered alone once a minute, so "10:42" becomes "Mon" after midnight. */
function ListTime({ iso, unread }: { iso: string; unread: boolean }) {
  useMinuteTick();
  return (
    <time dateTime={iso} className={`shrink-0 text-xs ${unread ? 'font-semibold text-accent' : 'text-muted'}`}>
      {' '}
      {formatListTime(iso)}
    </time>
  );
}

/** Its accessible name starts with the title; the time, preview and unread count follow. */
export const ConversationLink = memo(function ConversationLink({ conversation, userId }: ConversationLinkProps) {
  const unread = conversation.unreadCount;
  return (
    <NavLink
      to={`/c/${conversation.id}`}
      className={({ isActive }) =>
        'group flex items-center gap-3 rounded-xl px-3 py-2.5 transition-colors ' +
        (isActive ? 'bg-accent-soft' : 'hover:bg-surface-2')
      }
    >
      <Avatar name={conversation.title} seed={conversation.id} />
      <span className="flex min-w-0 flex-1 flex-col">
        <span className="flex items-baseline gap-2">
          <span className={`min-w-0 flex-1 truncate text-[15px] ${unread > 0 ? 'font-semibold' : 'font-medium'}`}>
            {conversation.title}
          </span>
          <ListTime iso={conversation.lastActivityAt} unread={unread > 0} />
        </span>
        <span className="flex items-center gap-2">
          <span className={`min-w-0 flex-1 truncate text-sm ${unread > 0 ? 'font-semibold text-fg' : 'text-muted'}`}>
            {' '}
            {previewOf(conversation, userId)}
          </span>
          {conversation.muted ? <span className="shrink-0 text-xs text-muted"> muted</span> : null}
          {unread > 0 && conversation.unreadMentionCount > 0 ? (
            <span
              title="You were mentioned"
              className="inline-flex h-5 min-w-5 shrink-0 items-center justify-center rounded-full bg-danger px-1 text-xs font-bold text-on-accent"
            >
              {' '}
              @<span className="sr-only"> mentioned</span>
            </span>
          ) : null}
          {unread > 0 ? (
            <span className="inline-flex h-5 min-w-5 shrink-0 items-center justify-center rounded-full bg-accent px-1.5 text-xs font-semibold text-on-accent">
              {' '}
              {unread}
              <span className="sr-only"> unread</span>
            </span>
          ) : null}
        </span>
      </span>
    </NavLink>
  );
});

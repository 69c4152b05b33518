import type { Member, Message } from '@parley/contracts';
import { memo, useEffect, useState } from 'react';
import { Avatar } from '../../../components/avatar.tsx';
import { AlertIcon, ClockIcon } from '../../../components/icons.tsx';
import { formatDay, formatFull, formatTime } from '../../../lib/format-time.ts';
import type { OutboxEntry } from '../outbox.ts';
import { MessageText } from './message-text.tsx';
import { SeenBy } from './seen-by.tsx';

export function DaySeparator({ iso }: { iso: string }) {
  return (
    <div className="flex items-center gap-3 px-4 pt-4 pb-2 text-xs font-medium text-muted" aria-hidden="true">
      <span className="h-px flex-1 bg-line" />
      {formatDay(iso)}
      <span className="h-px flex-1 bg-line" />
    </div>
  );
}

interface MessageRowProps {
  message: Message;
  own: boolean;
  showSeenBy: boolean;
  members: Member[];
  track?: ((element: HTMLElement | null) => void) | undefined;
  /** It mentions the viewer: it stands out. */
  mentionsMe?: boolean;
}

/** One message: sender, text, time; own messages on the right in the accent colour. */
export const MessageRow = memo(function MessageRow({
  message,
  own,
  showSeenBy,
  members,
  track,
  mentionsMe = false,
}: MessageRowProps) {
  return (
    <div
      ref={track}
      data-message-id={message.id}
      className={`flex gap-2 px-3 py-1 sm:px-5 ${own ? 'justify-end' : 'justify-start'}`}
    >
      {own ? null : <Avatar name={message.sender.nickname} seed={message.sender.id} size="sm" />}
      <div className={`flex max-w-[min(80%,36rem)] flex-col ${own ? 'items-end' : 'items-start'}`}>
        <span className="mb-0.5 px-1 text-xs font-medium text-muted">{message.sender.nickname}</span>
        <div
          data-mentions-me={mentionsMe || undefined}
          className={`${
            own
              ? 'rounded-2xl rounded-br-md bg-bubble-own px-3.5 py-2 text-on-bubble-own shadow-sm'
              : 'rounded-2xl rounded-bl-md border border-line bg-bubble-other px-3.5 py-2 text-fg shadow-sm'
          } ${mentionsMe && !own ? 'border-l-4 border-l-accent bg-accent-soft ring-2 ring-accent/40' : ''}`}
        >
          {mentionsMe && !own ? <span className="sr-only">Mentions you. </span> : null}
          <MessageText text={message.content} own={own} />
          <time
            dateTime={message.createdAt}
            title={formatFull(message.createdAt)}
            className={`mt-0.5 block text-right text-[11px] ${own ? 'text-on-bubble-own/75' : 'text-muted'}`}
          >
            {formatTime(message.createdAt)}
          </time>
        </div>
        {showSeenBy && message.seenBy.length > 0 ? <SeenBy seenBy={message.seenBy} members={members} /> : null}
      </div>
    </div>
  );
});

interface PendingRowProps {
  entry: OutboxEntry;
  nickname: string;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}

/** A message the server has not confirmed: shown at once, marked as sending, waiting or failed. */
export const PendingRow = memo(function PendingRow({ entry, nickname, onRetry, onDiscard }: PendingRowProps) {
  const failed = entry.status === 'failed';
  return (
    <div className="flex justify-end px-3 py-1 sm:px-5">
      <div className="flex max-w-[min(80%,36rem)] flex-col items-end">
        <span className="mb-0.5 px-1 text-xs font-medium text-muted">{nickname}</span>
        <div
          className={`rounded-2xl rounded-br-md px-3.5 py-2 shadow-sm ${
            failed ? 'border border-danger/50 bg-danger-soft text-fg' : 'bg-bubble-own text-on-bubble-own opacity-70'
          }`}
        >
          <MessageText text={entry.content} own={!failed} />
          {failed ? null : (
            <span className="mt-0.5 flex items-center justify-end gap-1 text-[11px] text-on-bubble-own/80">
              <ClockIcon className="size-3" />
              {entry.status === 'waiting' && entry.resumeAt !== undefined ? (
                <ResumeCountdown resumeAt={entry.resumeAt} />
              ) : entry.status === 'waiting' ? (
                'Waiting for connection…'
              ) : (
                'Sending…'
              )}
            </span>
          )}
        </div>
        {failed ? (
          <div className="mt-1 flex flex-wrap items-center justify-end gap-2 text-xs">
            <span className="inline-flex items-center gap-1 text-danger" role="alert">
              <AlertIcon className="size-3.5" />
              Not sent{entry.error ? `: ${entry.error}` : ''}
            </span>
            <button
              type="button"
              onClick={() => onRetry(entry.clientId)}
              className="rounded-md px-2 py-0.5 font-medium text-accent hover:bg-accent-soft"
            >
              Retry
            </button>
            <button
              type="button"
              onClick={() => onDiscard(entry.clientId)}
              className="rounded-md px-2 py-0.5 text-muted hover:bg-surface-2"
            >
              Discard
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
});

/** "Sending too fast — resuming in 8 s", counting down each second from the server's Retry-After. */
function ResumeCountdown({ resumeAt }: { resumeAt: number }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.ceil((resumeAt - now) / 1000));
  return <span role="status">Sending too fast — resuming in {seconds} s</span>;
}

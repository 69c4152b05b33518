import type { Member, Message } from '@parley/contracts';
import { memo, useEffect, useId, useState } from 'react';
import { Avatar } from '../../../components/avatar.tsx';
import { AlertIcon, ClockIcon } from '../../../components/icons.tsx';
import { formatDay, formatFull, formatTime } from '../../../lib/format-time.ts';
import { LinkPreviewCard } from '../attachments/link-preview-card.tsx';
import { MessageAttachments } from '../attachments/message-attachments.tsx';
import type { OutboxEntry } from '../outbox.ts';
import { MessageText } from '../text/message-text.tsx';
import { EditBox, MessageActions, Reactions, ReplyQuote } from './message-parts.tsx';
import { SeenBy } from './seen-by.tsx';
import { SystemEntryRow } from './system-entry-row.tsx';

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
  meId: number;
  /** Continues a run of one sender's messages: the name and avatar are shown once, above the first. */
  grouped: boolean;
  showSeenBy: boolean;
  members: Member[];
  /** The conversation is open: messages can be edited, deleted, reacted to and replied to. */
  open: boolean;
  /** The caller owns this group: they may delete anyone's message. */
  owner: boolean;
  editing: boolean;
  highlighted: boolean;
  onJump: (messageId: number) => void;
  track?: ((element: HTMLElement | null) => void) | undefined;
}

/** A system entry's line (people no longer in the conversation are named from the contacts). */
export function SystemRow({ message, members }: { message: Message; members: Member[] }) {
  return <SystemEntryRow message={message} members={members} />;
}

/** One message: sender, text, time; own messages on the right in the accent colour. */
export const MessageRow = memo(function MessageRow({
  message,
  meId,
  grouped,
  showSeenBy,
  members,
  open,
  owner,
  editing,
  highlighted,
  onJump,
  track,
}: MessageRowProps) {
  const own = message.sender.id === meId;
  const deleted = message.deletedAt !== null;
  // A message that mentions me stands out (UI.md).
  const mentionsMe = !own && !deleted && message.mentions.includes(meId);
  const actionable = open && !deleted;
  // The actions are almost half of a row's elements, and a first paint shows none of them (they appear on
  // hover or focus, UI.md): they mount when the row is first pointed at, touched or focused, and then stay,
  // so a dialog they open and the focus it hands back never lose their trigger.
  const [armed, setArmed] = useState(false);
  const arm = actionable && !armed ? () => setArmed(true) : undefined;
  // The actions are in the tab order only while focus is inside the message, so the history is one stop per
  // message, whichever rows have mounted their actions; Tab from a message enters its actions.
  const [focusWithin, setFocusWithin] = useState(false);
  const nameId = useId();
  const bubbleId = useId();
  return (
    <article
      ref={track}
      data-message-id={message.id}
      // Named by its sender, described by its bubble, as a feed's articles are.
      aria-labelledby={nameId}
      aria-describedby={bubbleId}
      // A jump to this message (a reply's quote, a search result) lands here.
      // biome-ignore lint/a11y/noNoninteractiveTabindex: one tab stop per message (as in a feed): focusing it shows its actions and the next Tab enters them; it replaces the two to four stops its always-present actions made.
      tabIndex={0}
      onPointerEnter={arm}
      // A row that appears under a resting pointer (new messages, scrolling) is armed by its first move.
      onPointerMove={arm}
      onFocus={() => {
        arm?.();
        setFocusWithin(true);
      }}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocusWithin(false);
      }}
      className={`group relative flex gap-2 px-3 sm:px-5 ${grouped ? 'pt-0.5' : 'pt-2'} pb-0.5 ${own ? 'justify-end' : 'justify-start'} ${
        highlighted ? 'animate-highlight' : ''
      }`}
    >
      {own ? null : grouped ? (
        <span className="w-7 shrink-0" aria-hidden="true" />
      ) : (
        <Avatar name={message.sender.nickname} seed={message.sender.id} size="sm" />
      )}
      {/* At least as wide as the actions, which then never stick out of the history (no sideways scroll). */}
      <div
        className={`relative flex max-w-[min(80%,36rem)] flex-col ${actionable ? 'min-w-36' : 'min-w-0'} ${own ? 'items-end' : 'items-start'}`}
      >
        <span id={nameId} className={grouped ? 'sr-only' : 'mb-0.5 px-1 text-xs font-medium text-muted'}>
          {message.sender.nickname}
        </span>
        {actionable && armed ? (
          <MessageActions message={message} own={own} canDelete={own || owner} tabbable={focusWithin} />
        ) : null}
        <div
          id={bubbleId}
          data-mentions-me={mentionsMe || undefined}
          className={`max-w-full min-w-0 ${
            deleted
              ? 'rounded-2xl border border-dashed border-line px-3.5 py-2 text-muted italic'
              : own
                ? 'rounded-2xl rounded-br-md bg-bubble-own px-3.5 py-2 text-on-bubble-own shadow-sm'
                : 'rounded-2xl rounded-bl-md border border-line bg-bubble-other px-3.5 py-2 text-fg shadow-sm'
          } ${mentionsMe ? 'border-l-4 border-l-accent bg-accent-soft ring-2 ring-accent/40' : ''}`}
        >
          {mentionsMe ? <span className="sr-only">Mentions you. </span> : null}
          {message.replyTo && !deleted ? <ReplyQuote replyTo={message.replyTo} own={own} onJump={onJump} /> : null}
          {deleted ? (
            <p className="text-[15px]">This message was deleted</p>
          ) : editing ? (
            <EditBox message={message} />
          ) : (
            <MessageText text={message.content} own={own} />
          )}
          {deleted ? null : <MessageAttachments attachments={message.attachments} own={own} />}
          <span
            className={`mt-0.5 flex justify-end gap-1 text-[11px] ${own && !deleted ? 'text-on-bubble-own' : 'text-muted'}`}
          >
            {message.editedAt && !deleted ? <span>(edited)</span> : null}
            <time dateTime={message.createdAt} title={formatFull(message.createdAt)}>
              {formatTime(message.createdAt)}
            </time>
          </span>
        </div>
        {deleted ? null : <LinkPreviewCard message={message} own={own} canRemove={open} />}
        {deleted ? null : <Reactions message={message} meId={meId} members={members} canReact={open} />}
        {showSeenBy && message.seenBy.length > 0 ? <SeenBy seenBy={message.seenBy} members={members} /> : null}
      </div>
    </article>
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
          {entry.replyTo ? (
            <p className="mb-1 truncate rounded-md border-l-2 border-on-bubble-own/60 bg-black/10 px-2 py-1 text-xs">
              <span className="font-semibold">{entry.replyTo.sender.nickname}</span> {entry.replyTo.excerpt}
            </p>
          ) : null}
          <MessageText text={entry.content} own={!failed} />
          {entry.attachments?.length ? (
            <p className="mt-0.5 text-xs">{entry.attachments.map((a) => a.name).join(', ')}</p>
          ) : null}
          {failed ? null : (
            <span className="mt-0.5 flex items-center justify-end gap-1 text-[11px] text-on-bubble-own">
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

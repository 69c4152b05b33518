import { LIMITS, type Member, type Message, type Reaction, type ReplyRef } from '@parley/contracts';
import * as AlertDialog from '@radix-ui/react-alert-dialog';
import * as Tooltip from '@radix-ui/react-tooltip';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { buttonClass } from '../../../components/button.tsx';
import { PencilIcon, ReplyIcon, SmileIcon, TrashIcon } from '../../../components/icons.tsx';
import { useConversationUi } from '../conversation-ui.tsx';
import { EmojiPickerDialog } from '../reactions/emoji-picker-dialog.tsx';

export function nicknameOf(members: Member[], userId: number): string {
  return members.find((m) => m.id === userId)?.nickname ?? 'someone';
}

const actionClass =
  'inline-flex size-8 items-center justify-center rounded-md text-muted hover:bg-surface-2 hover:text-fg focus-visible:outline-2 focus-visible:outline-ring';

interface ActionsProps {
  message: Message;
  own: boolean;
  canDelete: boolean;
  /** Focus is inside the message: the buttons are in the tab order (else reachable from the message only). */
  tabbable: boolean;
}

/**
 * React, Reply, and for one's own messages Edit and Delete (a group's owner may delete anyone's). Shown
 * on hover or when focus is inside the message; in the tab order while focus is inside it, so the keyboard
 * reaches them from the message, which is the history's one stop per message.
 */
export function MessageActions({ message, own, canDelete, tabbable }: ActionsProps) {
  const ui = useConversationUi();
  const tabIndex = tabbable ? 0 : -1;
  return (
    <div
      // Mounted on first hover or focus inside the history's live log: not new content to announce.
      aria-live="off"
      // On the side away from the sender's name. Hidden buttons take no taps either: on a touch screen a
      // first tap focuses the message and shows them.
      className={`pointer-events-none absolute -top-3 z-10 flex items-center rounded-lg border border-line bg-surface p-0.5 opacity-0 shadow-sm transition-opacity group-focus-within:pointer-events-auto group-focus-within:opacity-100 group-hover:pointer-events-auto group-hover:opacity-100 ${own ? 'left-2' : 'right-2'}`}
    >
      <EmojiPickerDialog
        trigger={
          <button type="button" className={actionClass} tabIndex={tabIndex}>
            <SmileIcon className="size-4" />
            <span className="sr-only">React</span>
          </button>
        }
        onPick={(emoji) => ui.toggleReaction(message, emoji, true)}
      />
      <button type="button" className={actionClass} tabIndex={tabIndex} onClick={() => ui.setReplyTo(message)}>
        <ReplyIcon className="size-4" />
        <span className="sr-only">Reply</span>
      </button>
      {own ? (
        <button
          type="button"
          className={actionClass}
          tabIndex={tabIndex}
          onClick={(event) => ui.startEdit(message, event.currentTarget)}
        >
          <PencilIcon className="size-4" />
          <span className="sr-only">Edit</span>
        </button>
      ) : null}
      {canDelete ? <DeleteButton message={message} tabIndex={tabIndex} /> : null}
    </div>
  );
}

function DeleteButton({ message, tabIndex }: { message: Message; tabIndex: number }) {
  const ui = useConversationUi();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger ref={triggerRef} className={actionClass} tabIndex={tabIndex}>
        <TrashIcon className="size-4" />
        <span className="sr-only">Delete</span>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 animate-fade-in bg-black/40" />
        <AlertDialog.Content
          // Once deleted, the message has no actions left: focus goes to the tombstone, not to the page.
          onCloseAutoFocus={(event) => {
            if (triggerRef.current?.isConnected) return;
            event.preventDefault();
            document.querySelector<HTMLElement>(`article[data-message-id="${message.id}"]`)?.focus();
          }}
          className="fixed top-1/2 left-1/2 z-50 w-[min(92vw,24rem)] -translate-x-1/2 -translate-y-1/2 animate-pop-in rounded-2xl border border-line bg-surface p-6 shadow-xl"
        >
          <AlertDialog.Title className="text-lg font-semibold">Delete message?</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-muted">
            Everyone will see "This message was deleted" instead. This can't be undone.
          </AlertDialog.Description>
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel className={buttonClass('secondary')}>Cancel</AlertDialog.Cancel>
            <AlertDialog.Action
              className={buttonClass('danger')}
              disabled={busy}
              onClick={(event) => {
                event.preventDefault();
                setBusy(true);
                void ui.remove(message).then((done) => {
                  setBusy(false);
                  if (done) setOpen(false);
                });
              }}
            >
              Delete
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

/** The message's text as textbox "Edit message": Enter saves, Shift+Enter breaks the line, Escape cancels. */
export function EditBox({ message }: { message: Message }) {
  const ui = useConversationUi();
  const [text, setText] = useState(message.content);
  const [saving, setSaving] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      ui.endEdit();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      const content = text.trim();
      if (!content || saving) return;
      setSaving(true);
      void ui.save(message, content).then((done) => {
        setSaving(false);
        if (done) ui.endEdit();
      });
    }
  }

  return (
    <div className="w-[min(36rem,70vw)]">
      <textarea
        ref={ref}
        aria-label="Edit message"
        value={text}
        maxLength={LIMITS.contentMax}
        rows={Math.min(8, text.split('\n').length + 1)}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={`edit-hint-${message.id}`}
        className="w-full resize-none rounded-xl border border-line bg-bg px-3 py-2 text-[15px] leading-snug text-fg focus-visible:outline-2 focus-visible:outline-ring"
      />
      <p id={`edit-hint-${message.id}`} className="mt-0.5 text-[11px] text-muted">
        Enter to save · Escape to cancel
      </p>
    </div>
  );
}

/** Under the message: one toggle per emoji, named by the emoji and its count; who reacted on hover or focus. */
export function Reactions({
  message,
  meId,
  members,
  canReact,
}: {
  message: Message;
  meId: number;
  members: Member[];
  canReact: boolean;
}) {
  const ui = useConversationUi();
  if (message.reactions.length === 0) return null;
  return (
    <ul aria-label="Reactions" className="mt-1 flex flex-wrap gap-1">
      {message.reactions.map((reaction: Reaction) => {
        const mine = reaction.userIds.includes(meId);
        const who = reaction.userIds.map((id) => (id === meId ? 'You' : nicknameOf(members, id))).join(', ');
        return (
          <li key={reaction.emoji}>
            <Tooltip.Root>
              <Tooltip.Trigger asChild>
                <button
                  type="button"
                  aria-pressed={mine}
                  disabled={!canReact}
                  onClick={() => ui.toggleReaction(message, reaction.emoji, !mine)}
                  className={`inline-flex h-7 items-center gap-1 rounded-full border px-2 text-sm ${
                    mine ? 'border-accent bg-accent-soft text-fg' : 'border-line bg-surface text-fg hover:bg-surface-2'
                  }`}
                >
                  <span>{reaction.emoji}</span>
                  <span className="text-xs font-medium tabular-nums">{reaction.userIds.length}</span>
                </button>
              </Tooltip.Trigger>
              <Tooltip.Portal>
                <Tooltip.Content
                  sideOffset={6}
                  className="z-50 max-w-64 rounded-md bg-fg px-2 py-1 text-xs text-bg shadow-md"
                >
                  {who} reacted with {reaction.emoji}
                  <Tooltip.Arrow className="fill-fg" />
                </Tooltip.Content>
              </Tooltip.Portal>
            </Tooltip.Root>
          </li>
        );
      })}
    </ul>
  );
}

/** The quoted original, as it is now; activating it jumps there. */
export function ReplyQuote({
  replyTo,
  own,
  onJump,
}: {
  replyTo: ReplyRef;
  own: boolean;
  onJump: (messageId: number) => void;
}) {
  return (
    <button
      type="button"
      onClick={() => onJump(replyTo.id)}
      className={`mb-1 block w-full max-w-full rounded-md border-l-2 px-2 py-1 text-left text-xs ${
        own ? 'border-on-bubble-own/60 bg-black/10 text-on-bubble-own' : 'border-accent bg-surface-2 text-fg'
      }`}
    >
      <span className="block font-semibold">{replyTo.sender.nickname}</span>
      <span className="line-clamp-2 [overflow-wrap:anywhere] opacity-90">
        {replyTo.deleted ? <em>This message was deleted</em> : replyTo.excerpt}
      </span>
    </button>
  );
}

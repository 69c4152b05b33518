import { type Conversation, LIMITS } from '@parley/contracts';
import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Avatar } from '../../../components/avatar.tsx';
import { Button, buttonClass } from '../../../components/button.tsx';
import { FormAlert } from '../../../components/form-alert.tsx';
import { BackIcon, LockIcon, PencilIcon } from '../../../components/icons.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { useMe } from '../../auth/index.ts';
import { PresenceDot } from '../../users/index.ts';
import { useCloseConversation, useRenameConversation } from '../api.ts';
import { MembersDialog, MuteButton } from './members-dialog.tsx';

function RenameForm({ conversation, onDone }: { conversation: Conversation; onDone: () => void }) {
  const rename = useRenameConversation(conversation.id);
  const [title, setTitle] = useState(conversation.title);
  const inputRef = useRef<HTMLInputElement>(null);
  const fieldError = rename.error instanceof ApiError ? rename.error.fields?.title : undefined;
  const error = fieldError ?? (rename.error ? errorMessage(rename.error) : undefined);

  useEffect(() => inputRef.current?.select(), []);

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = title.trim();
    // Blank goes back to the automatic title.
    if (next === conversation.title || (!next && conversation.customTitle === null)) return onDone();
    rename.mutate(next || null, { onSuccess: onDone });
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onDone();
    }
  }

  return (
    <form onSubmit={submit} className="flex min-w-0 flex-1 flex-wrap items-center gap-2">
      <input
        ref={inputRef}
        aria-label="Title"
        value={title}
        maxLength={LIMITS.titleMax}
        onChange={(event) => setTitle(event.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `rename-error-${conversation.id}` : undefined}
        className="h-9 min-w-0 flex-1 rounded-lg border border-line bg-surface px-3 text-base font-semibold focus-visible:outline-2 focus-visible:outline-ring focus-visible:outline-offset-0"
      />
      <Button type="submit" size="sm" disabled={rename.isPending}>
        Save title
      </Button>
      <Button size="sm" variant="ghost" onClick={onDone}>
        Cancel
      </Button>
      {error ? (
        <p id={`rename-error-${conversation.id}`} className="w-full text-sm text-danger">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function CloseConversationButton({ conversation, onClosed }: { conversation: Conversation; onClosed: () => void }) {
  const close = useCloseConversation(conversation.id);
  const [open, setOpen] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        // A failure shown last time is not carried into the next attempt.
        if (!next) close.reset();
      }}
    >
      <AlertDialog.Trigger ref={triggerRef} className={buttonClass('secondary', 'sm')}>
        <LockIcon className="size-4" />
        <span className="sr-only sm:not-sr-only">Close conversation</span>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 animate-fade-in bg-black/40" />
        <AlertDialog.Content
          // Once closed, this button is gone (with the dialog): focus goes to the conversation's heading
          // instead of falling back to the page.
          onCloseAutoFocus={(event) => {
            if (triggerRef.current?.isConnected) return;
            event.preventDefault();
            onClosed();
          }}
          className="fixed top-1/2 left-1/2 z-50 w-[min(92vw,26rem)] -translate-x-1/2 -translate-y-1/2 animate-pop-in rounded-2xl border border-line bg-surface p-6 shadow-xl"
        >
          <AlertDialog.Title className="text-lg font-semibold">Close this conversation?</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-muted">
            No one will be able to send messages any more. Everyone keeps the history. This can't be undone.
          </AlertDialog.Description>
          {close.error ? (
            <div className="mt-4">
              <FormAlert message={errorMessage(close.error)} />
            </div>
          ) : null}
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel className={buttonClass('secondary')}>Cancel</AlertDialog.Cancel>
            <AlertDialog.Action
              className={buttonClass('danger')}
              disabled={close.isPending}
              onClick={(event) => {
                // Stay open until the server agrees; a failure is shown here and can be retried or cancelled.
                event.preventDefault();
                close.mutate(undefined, { onSuccess: () => setOpen(false) });
              }}
            >
              Close conversation
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

/** Beyond this many, the rest of a group's members are one "+N" click away instead of crowding the header. */
const MEMBERS_SHOWN = 6;

/** The members' nicknames; the list wraps, so none is cut off silently on a narrow screen. */
function MemberList({ conversation, meId }: { conversation: Conversation; meId: number }) {
  const [expanded, setExpanded] = useState(false);
  const { members } = conversation;
  const hidden = expanded ? 0 : Math.max(0, members.length - MEMBERS_SHOWN);
  const shown = hidden > 0 ? members.slice(0, MEMBERS_SHOWN) : members;
  return (
    <ul aria-label="Members" className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-0.5 text-xs text-muted">
      {shown.map((member) => (
        <li key={member.id} className="inline-flex min-w-0 max-w-full items-center gap-1.5">
          <PresenceDot userId={member.id} fallback={member.id === meId ? true : undefined} />
          <span className="truncate">
            {member.nickname}
            {member.id === meId ? ' (you)' : ''}
            {member.owner ? ' · owner' : ''}
          </span>
        </li>
      ))}
      {members.length > MEMBERS_SHOWN ? (
        <li>
          <button
            type="button"
            aria-expanded={expanded}
            onClick={() => setExpanded((value) => !value)}
            className="rounded px-1 font-medium text-fg hover:bg-surface-2"
          >
            {expanded ? (
              'Show fewer'
            ) : (
              <>
                +{hidden}
                <span className="sr-only"> more members</span>
              </>
            )}
          </button>
        </li>
      ) : null}
    </ul>
  );
}

export function ConversationHeader({ conversation }: { conversation: Conversation }) {
  const me = useMe();
  const [renaming, setRenaming] = useState(false);
  const renameRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Focus goes back to what opened the rename (or to the heading once that button is gone).
  const focusAfterRename = useRef(false);
  const isOwner = conversation.kind === 'group' && conversation.ownerId === me.id;
  const open = conversation.closedAt === null;

  useEffect(() => {
    if (renaming || !focusAfterRename.current) return;
    focusAfterRename.current = false;
    (renameRef.current ?? headingRef.current)?.focus();
  }, [renaming]);

  return (
    // On a narrow screen the actions wrap below the title rather than squeeze it to nothing (and cover
    // Rename: Lighthouse's target-size audit).
    <header className="flex flex-wrap items-center gap-3 border-b border-line bg-surface px-3 py-2.5 sm:px-5">
      <Link
        to="/"
        className="-ml-1 rounded-lg p-1.5 text-muted hover:bg-surface-2 hover:text-fg md:hidden"
        aria-label="Back to conversations"
      >
        <BackIcon />
      </Link>
      <Avatar name={conversation.title} seed={conversation.id} />
      <div className="flex min-w-32 flex-1 flex-col">
        {renaming ? (
          <RenameForm
            conversation={conversation}
            onDone={() => {
              focusAfterRename.current = true;
              setRenaming(false);
            }}
          />
        ) : (
          <div className="flex min-w-0 items-center gap-1">
            <h1
              ref={headingRef}
              tabIndex={-1}
              className="min-w-0 truncate text-base font-semibold tracking-tight outline-none sm:text-lg"
            >
              {conversation.title}
            </h1>
            {isOwner && open ? (
              <button
                ref={renameRef}
                type="button"
                onClick={() => setRenaming(true)}
                className="inline-flex min-h-6 min-w-6 shrink-0 items-center justify-center gap-1 rounded-md px-1.5 py-1 text-xs text-muted hover:bg-surface-2 hover:text-fg"
              >
                <PencilIcon className="size-3.5" />
                <span className="sr-only sm:not-sr-only">Rename</span>
              </button>
            ) : null}
          </div>
        )}
        <MemberList conversation={conversation} meId={me.id} />
      </div>
      {renaming ? null : (
        <div className="flex shrink-0 flex-wrap items-center justify-end gap-2">
          <MuteButton conversation={conversation} />
          <MembersDialog conversation={conversation} />
          {isOwner && open ? (
            <CloseConversationButton conversation={conversation} onClosed={() => headingRef.current?.focus()} />
          ) : null}
        </div>
      )}
    </header>
  );
}

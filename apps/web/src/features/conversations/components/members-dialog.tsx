import { type Conversation, LIMITS, type User } from '@parley/contracts';
import * as AlertDialog from '@radix-ui/react-alert-dialog';
import * as Dialog from '@radix-ui/react-dialog';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, buttonClass } from '../../../components/button.tsx';
import { FormAlert } from '../../../components/form-alert.tsx';
import { CloseIcon, SearchIcon } from '../../../components/icons.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { useMe } from '../../auth/index.ts';
import { PresenceDot, usersQuery } from '../../users/index.ts';
import { useAddMembers, useRemoveMember, useSetMuted } from '../api.ts';

const dialogClass =
  'fixed top-1/2 left-1/2 z-50 flex max-h-[min(90dvh,40rem)] w-[min(92vw,28rem)] -translate-x-1/2 -translate-y-1/2 animate-pop-in flex-col gap-4 overflow-y-auto rounded-2xl border border-line bg-surface p-5 shadow-xl';

function AddPeopleDialog({ conversation }: { conversation: Conversation }) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<User[]>([]);
  const q = useDebouncedValue(search.trim(), 250);
  const users = useQuery({ ...usersQuery(q), enabled: open });
  const add = useAddMembers(conversation.id);
  const memberIds = new Set(conversation.members.map((m) => m.id));
  const candidates = (users.data ?? []).filter((u) => !memberIds.has(u.id));
  const listed = [...chosen.filter((u) => !candidates.some((c) => c.id === u.id)), ...candidates];
  const full = conversation.members.length + chosen.length >= LIMITS.membersMax;

  function reset(next: boolean) {
    setOpen(next);
    // Each opening starts afresh: nobody ticked, no search, no old error.
    setSearch('');
    setChosen([]);
    add.reset();
  }

  return (
    <Dialog.Root open={open} onOpenChange={reset}>
      <Dialog.Trigger className={buttonClass('secondary', 'sm')}>Add people</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 animate-fade-in bg-black/40" />
        <Dialog.Content
          aria-describedby={undefined}
          className={dialogClass}
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            (event.currentTarget as HTMLElement | null)?.querySelector<HTMLInputElement>('[data-autofocus]')?.focus();
          }}
          onEscapeKeyDown={(event) => {
            // Escape in the search clears it first; a second Escape closes.
            if (search !== '' && (event.target as HTMLElement | null)?.matches('[data-autofocus]')) {
              event.preventDefault();
              setSearch('');
            }
          }}
        >
          <Dialog.Title className="text-lg font-semibold">Add people</Dialog.Title>
          <form
            className="flex min-h-0 flex-col gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              if (chosen.length === 0) return;
              add.mutate(
                chosen.map((u) => u.id),
                { onSuccess: () => setOpen(false) },
              );
            }}
          >
            <div className="relative">
              <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted" />
              <input
                type="search"
                aria-label="Search contacts"
                placeholder="Search contacts"
                value={search}
                onChange={(event) => setSearch(event.target.value)}
                data-autofocus
                className="h-10 w-full rounded-lg border border-line bg-surface pr-3 pl-9 text-[15px] placeholder:text-muted"
              />
            </div>
            <ul className="flex max-h-64 min-h-24 flex-col overflow-y-auto rounded-xl border border-line p-1">
              {users.isPending ? (
                <li className="flex justify-center p-4">
                  <Spinner label="Searching…" />
                </li>
              ) : listed.length === 0 ? (
                <li className="p-4 text-center text-sm text-muted">Nobody else to add.</li>
              ) : (
                listed.map((user) => {
                  const checked = chosen.some((u) => u.id === user.id);
                  return (
                    <li key={user.id}>
                      <label className="flex cursor-pointer items-center gap-3 rounded-lg px-3 py-2 hover:bg-surface-2">
                        <input
                          type="checkbox"
                          checked={checked}
                          disabled={!checked && full}
                          onChange={() =>
                            setChosen((now) => (checked ? now.filter((u) => u.id !== user.id) : [...now, user]))
                          }
                          className="size-4 accent-[var(--accent)]"
                        />
                        <span className="min-w-0 flex-1 truncate">{user.nickname}</span>
                      </label>
                    </li>
                  );
                })
              )}
            </ul>
            <FormAlert message={add.error ? errorMessage(add.error) : null} />
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button type="submit" disabled={chosen.length === 0 || add.isPending}>
                Add
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function LeaveButton({ conversation }: { conversation: Conversation }) {
  const me = useMe();
  const navigate = useNavigate();
  const leave = useRemoveMember(conversation.id, me.id);
  return (
    <AlertDialog.Root onOpenChange={(next) => (next ? undefined : leave.reset())}>
      <AlertDialog.Trigger className={buttonClass('danger', 'sm')}>Leave conversation</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-[60] animate-fade-in bg-black/40" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-[70] w-[min(92vw,26rem)] -translate-x-1/2 -translate-y-1/2 rounded-2xl border border-line bg-surface p-6 shadow-xl">
          <AlertDialog.Title className="text-lg font-semibold">Leave “{conversation.title}”?</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-muted">
            You will no longer see its messages. Someone must add you again to come back.
          </AlertDialog.Description>
          {leave.error ? <FormAlert message={errorMessage(leave.error)} /> : null}
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel className={buttonClass('secondary')}>Cancel</AlertDialog.Cancel>
            <AlertDialog.Action
              className={buttonClass('danger')}
              disabled={leave.isPending}
              onClick={(event) => {
                event.preventDefault();
                leave.mutate(me.id, { onSuccess: () => void navigate('/', { replace: true }) });
              }}
            >
              Leave
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

/** Button "Members" and its dialog: who is in, the owner marked; the owner adds and removes people. */
export function MembersDialog({ conversation }: { conversation: Conversation }) {
  const me = useMe();
  const titleId = useId();
  const remove = useRemoveMember(conversation.id, me.id);
  const isGroup = conversation.kind === 'group';
  const isOwner = isGroup && conversation.ownerId === me.id;
  const open = conversation.closedAt === null;
  return (
    <Dialog.Root onOpenChange={() => remove.reset()}>
      <Dialog.Trigger className={buttonClass('secondary', 'sm')}>Members</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 animate-fade-in bg-black/40" />
        <Dialog.Content aria-describedby={undefined} aria-labelledby={titleId} className={dialogClass}>
          <div className="flex items-center justify-between">
            <Dialog.Title id={titleId} className="text-lg font-semibold">
              Members
            </Dialog.Title>
            <Dialog.Close className="rounded-lg p-1.5 text-muted hover:bg-surface-2 hover:text-fg" aria-label="Close">
              <CloseIcon className="size-4" />
            </Dialog.Close>
          </div>
          <ul className="flex flex-col gap-1">
            {conversation.members.map((member) => (
              <li key={member.id} className="flex items-center gap-3 rounded-lg px-2 py-1.5">
                <PresenceDot userId={member.id} fallback={member.id === me.id ? true : undefined} />
                <span className="min-w-0 flex-1 truncate">
                  {member.nickname}
                  {member.id === me.id ? ' (you)' : ''}
                  {member.owner ? <span className="ml-2 text-xs text-muted">owner</span> : null}
                </span>
                {isOwner && open && member.id !== me.id ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(member.id)}
                  >
                    Remove {member.nickname}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
          {remove.error ? <FormAlert message={errorMessage(remove.error)} /> : null}
          {isGroup ? (
            <div className="flex flex-wrap justify-end gap-2">
              {isOwner && open ? <AddPeopleDialog conversation={conversation} /> : null}
              <LeaveButton conversation={conversation} />
            </div>
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Button "Mute conversation" / "Unmute conversation": my own setting, every tab follows. */
export function MuteButton({ conversation }: { conversation: Conversation }) {
  const setMuted = useSetMuted(conversation.id);
  return (
    <Button
      size="sm"
      variant="secondary"
      disabled={setMuted.isPending}
      onClick={() => setMuted.mutate(!conversation.muted)}
    >
      {conversation.muted ? 'Unmute conversation' : 'Mute conversation'}
    </Button>
  );
}

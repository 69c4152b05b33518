import { LIMITS, type User } from '@parley/contracts';
import * as Dialog from '@radix-ui/react-dialog';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type RefObject, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../../components/button.tsx';
import { FormAlert } from '../../../components/form-alert.tsx';
import { CloseIcon, SearchIcon } from '../../../components/icons.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { PresenceDot, useOnline, usersQuery } from '../../users/index.ts';
import { useCreateConversation } from '../api.ts';
import { useNewConversationDraft } from '../hooks/use-new-conversation-draft.ts';

function ContactOption({ user, checked, onToggle }: { user: User; checked: boolean; onToggle: () => void }) {
  const id = useId();
  const presenceId = useId();
  const online = useOnline(user.id, user.online);
  // The checkbox is named by the nickname alone; presence is its description, kept outside the label.
  return (
    <li>
      <label
        htmlFor={id}
        className="flex cursor-pointer items-center gap-3 rounded-lg px-3 py-2 hover:bg-surface-2 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring"
      >
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={onToggle}
          aria-describedby={presenceId}
          className="size-4 accent-[var(--accent)] focus-visible:outline-none"
        />
        <span className="min-w-0 flex-1 truncate">{user.nickname}</span>
        <PresenceDot userId={user.id} fallback={user.online} decorative />
      </label>
      <span id={presenceId} className="sr-only">
        {online ? 'online' : 'offline'}
      </span>
    </li>
  );
}

function NewConversationForm({
  onCreated,
  search,
  setSearch,
}: {
  onCreated: (id: number) => void;
  search: string;
  setSearch: (search: string) => void;
}) {
  const { draft, toggle, setTitle, clear } = useNewConversationDraft();
  const q = useDebouncedValue(search.trim(), 250);
  const users = useQuery(usersQuery(q));
  const create = useCreateConversation();
  const titleId = useId();
  const titleErrorId = useId();

  const searching = users.isFetching || search.trim() !== q;
  const chosenIds = new Set(draft.chosen.map((u) => u.id));
  const results = users.data ?? [];
  // Chosen people stay visible (and un-choosable) even when the search no longer finds them.
  const listed = [...draft.chosen.filter((u) => !results.some((r) => r.id === u.id)), ...results];
  const fields = create.error instanceof ApiError ? create.error.fields : undefined;
  const formError = create.error && !fields?.title ? errorMessage(create.error) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (draft.chosen.length === 0 || create.isPending) return;
    const title = draft.title.trim();
    create.mutate(
      { memberIds: draft.chosen.map((u) => u.id), ...(title ? { title } : {}) },
      {
        onSuccess: (conversation) => {
          clear();
          onCreated(conversation.id);
        },
      },
    );
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      <div className="relative">
        <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted" />
        <input
          type="search"
          data-autofocus
          aria-label="Search contacts"
          placeholder="Search contacts"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          maxLength={LIMITS.nicknameMax}
          className="h-10 w-full rounded-lg border border-line bg-surface pr-3 pl-9 text-[15px] placeholder:text-muted focus-visible:outline-2 focus-visible:outline-ring focus-visible:outline-offset-0"
        />
      </div>

      <fieldset className="flex flex-col">
        <legend className="mb-1 flex w-full items-center justify-between text-sm font-medium">
          <span>
            Members <span className="font-normal text-muted">({draft.chosen.length} chosen)</span>
          </span>
          {searching && !users.isPending ? <Spinner label="Searching…" className="text-xs" /> : null}
        </legend>
        <div className="max-h-72 min-h-24 overflow-y-auto rounded-xl border border-line p-1">
          {users.isPending ? (
            <div className="flex justify-center p-6">
              <Spinner label="Searching…" />
            </div>
          ) : users.error && listed.length === 0 ? (
            <div role="alert" className="flex flex-col items-center gap-2 p-6 text-center text-sm">
              <p>{errorMessage(users.error)}</p>
              <Button size="sm" variant="secondary" onClick={() => void users.refetch()}>
                Try again
              </Button>
            </div>
          ) : listed.length === 0 ? (
            <p className="p-6 text-center text-sm text-muted">
              {q ? `No contacts match “${q}”.` : 'No one else is on Parley yet.'}
            </p>
          ) : (
            <ul className="flex flex-col">
              {listed.map((user) => (
                <ContactOption
                  key={user.id}
                  user={user}
                  checked={chosenIds.has(user.id)}
                  onToggle={() => toggle(user)}
                />
              ))}
            </ul>
          )}
        </div>
      </fieldset>

      <div className="flex flex-col gap-1.5">
        <label htmlFor={titleId} className="text-sm font-medium">
          Title (optional)
        </label>
        <input
          id={titleId}
          value={draft.title}
          onChange={(event) => setTitle(event.target.value)}
          maxLength={LIMITS.titleMax}
          placeholder="Everyone's names if left empty"
          aria-invalid={fields?.title ? true : undefined}
          aria-describedby={fields?.title ? titleErrorId : undefined}
          className="h-10 rounded-lg border border-line bg-surface px-3 text-[15px] placeholder:text-muted focus-visible:outline-2 focus-visible:outline-ring focus-visible:outline-offset-0"
        />
        {fields?.title ? (
          <p id={titleErrorId} className="text-sm text-danger">
            {fields.title}
          </p>
        ) : null}
      </div>

      <FormAlert message={formError} />

      <div className="flex justify-end gap-2">
        <Dialog.Close asChild>
          <Button variant="secondary">Cancel</Button>
        </Dialog.Close>
        <Button type="submit" disabled={draft.chosen.length === 0 || create.isPending}>
          {create.isPending ? 'Creating…' : 'Create'}
        </Button>
      </div>
    </form>
  );
}

interface NewConversationDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Where focus goes back to when the dialog is dismissed (it has no Radix trigger to return to). */
  returnFocusTo: RefObject<HTMLButtonElement | null>;
}

/** Loaded on first use (see NewConversationButton), so the sidebar's first paint does not pay for it. */
export default function NewConversationDialog({ open, onOpenChange, returnFocusTo }: NewConversationDialogProps) {
  const navigate = useNavigate();
  const created = useRef(false);
  const content = useRef<HTMLDivElement>(null);
  // Here, not in the form: Escape reaches the dialog first, and clears a search before it closes anything.
  const [search, setSearch] = useState('');
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 animate-fade-in bg-black/40 backdrop-blur-[2px]" />
        <Dialog.Content
          ref={content}
          aria-describedby={undefined}
          onOpenAutoFocus={(event) => {
            created.current = false;
            setSearch('');
            // The search field, not ✕: finding someone is why the dialog was opened.
            event.preventDefault();
            content.current?.querySelector<HTMLInputElement>('[data-autofocus]')?.focus();
          }}
          onEscapeKeyDown={(event) => {
            if (search !== '' && (event.target as HTMLElement | null)?.matches('[data-autofocus]')) {
              event.preventDefault();
              setSearch('');
            }
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            // After creating, the new conversation's composer takes focus instead.
            if (!created.current) returnFocusTo.current?.focus();
          }}
          className="fixed top-1/2 left-1/2 z-50 flex max-h-[min(90dvh,40rem)] w-[min(92vw,28rem)] -translate-x-1/2 -translate-y-1/2 animate-pop-in flex-col gap-4 overflow-y-auto rounded-2xl border border-line bg-surface p-5 shadow-xl"
        >
          <div className="flex items-center justify-between">
            <Dialog.Title className="text-lg font-semibold tracking-tight">New conversation</Dialog.Title>
            <Dialog.Close className="rounded-lg p-1.5 text-muted hover:bg-surface-2 hover:text-fg" aria-label="Close">
              <CloseIcon className="size-4" />
            </Dialog.Close>
          </div>
          <NewConversationForm
            search={search}
            setSearch={setSearch}
            onCreated={(id) => {
              created.current = true;
              onOpenChange(false);
              void navigate(`/c/${id}`, { state: { focusComposer: true } });
            }}
          />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

import { LIMITS, type Member } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import {
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { useLocation } from 'react-router';
import { CloseIcon, PaperclipIcon, SendIcon } from '../../../components/icons.tsx';
import { useRealtime } from '../../../lib/realtime-context.ts';
import { useMe } from '../../auth/index.ts';
import { messagesQuery } from '../api.ts';
import { AttachmentTray } from '../attachments/attachment-tray.tsx';
import { useAttachmentTray } from '../attachments/use-attachment-tray.ts';
import { useConversationUi } from '../conversation-ui.tsx';
import { useComposerDraft } from '../hooks/use-composer-draft.ts';
import { useMentionSuggestions } from '../hooks/use-mention-suggestions.ts';
import { useOutboxSender } from '../outbox-provider.tsx';
import { MentionSuggestions } from './mention-suggestions.tsx';

interface ComposerProps {
  conversationId: number;
  onSent: () => void;
  /** Brings a message into view (the one Up starts editing). */
  onReveal: (messageId: number) => void;
  /** Who can be mentioned. */
  members?: Member[];
}

const MAX_HEIGHT_PX = 200;
const SIZES_ITSELF = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

export function Composer({ conversationId, onSent, onReveal, members = [] }: ComposerProps) {
  const me = useMe();
  const queryClient = useQueryClient();
  const ui = useConversationUi();
  const { replyTo, setReplyTo } = ui;
  const sender = useOutboxSender();
  const { emitTyping, emitStoppedTyping } = useRealtime();
  const [text, setText] = useComposerDraft(me.id, conversationId);
  const ref = useRef<HTMLTextAreaElement>(null);
  const content = text.trim();
  const tray = useAttachmentTray();
  const picker = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  // Text, or files that finished uploading (nothing still in flight): a message may be files alone.
  const canSend = (content !== '' || tray.ready.length > 0) && !tray.uploading;
  const location = useLocation();
  const focusOnOpen = (location.state as { focusComposer?: boolean } | null)?.focusComposer === true;
  const mentions = useMentionSuggestions({ text, setText, members, meId: me.id, inputRef: ref });

  // A conversation just created is opened to write in it.
  useEffect(() => {
    if (focusOnOpen) ref.current?.focus();
  }, [focusOnOpen]);

  // Choosing Reply on a message is choosing to write: the composer takes focus.
  useEffect(() => {
    if (replyTo) ref.current?.focus();
  }, [replyTo]);

  // Grow with the text up to a limit, then scroll inside. CSS does it where `field-sizing` exists; elsewhere
  // the height comes from scrollHeight, a layout read on every keystroke and in the conversation's first paint.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the height depends on the text.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || SIZES_ITSELF) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  function send() {
    if (!canSend) return;
    sender.submit(
      conversationId,
      content,
      replyTo ? { id: replyTo.id, sender: replyTo.sender, excerpt: replyTo.content, deleted: false } : undefined,
      tray.ready,
    );
    tray.clear();
    setText('');
    setReplyTo(null);
    onSent();
    ref.current?.focus();
  }

  /** Pasted files (a screenshot, say) join the tray; pasted text stays text. */
  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    event.preventDefault();
    tray.add(files);
  }

  function onDrop(event: DragEvent<HTMLFormElement>) {
    setDragging(false);
    if (event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    tray.add(event.dataTransfer.files);
    ref.current?.focus();
  }

  function onDragOver(event: DragEvent<HTMLFormElement>) {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    setDragging(true);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    send();
  }

  /** Up in an empty composer edits my last message; focus comes back here when the edit ends. */
  function editLast(): boolean {
    const messages = queryClient.getQueryData(messagesQuery(conversationId).queryKey)?.messages ?? [];
    const last = messages.findLast((m) => m.sender.id === me.id && m.kind === 'user' && m.deletedAt === null);
    if (!last) return false;
    onReveal(last.id);
    ui.startEdit(last, ref.current);
    return true;
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.nativeEvent.isComposing) return;
    if (mentions.onKeyDown(event)) return;
    // Enter sends; Shift+Enter breaks the line; Enter that confirms an IME composition does neither.
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send();
    } else if (event.key === 'ArrowUp' && text === '' && editLast()) {
      event.preventDefault();
    } else if (event.key === 'Escape' && replyTo) {
      event.preventDefault();
      setReplyTo(null);
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      onDrop={onDrop}
      onDragOver={onDragOver}
      onDragLeave={() => setDragging(false)}
      className={`border-t border-line bg-surface px-3 py-3 sm:px-5 ${dragging ? 'outline-2 outline-accent outline-dashed -outline-offset-4' : ''}`}
    >
      <AttachmentTray items={tray.items} notice={tray.notice} onRemove={tray.remove} />
      {replyTo ? (
        <div className="mb-2 flex items-center gap-2 rounded-lg border-l-2 border-accent bg-surface-2 px-3 py-1.5 text-sm">
          <div className="min-w-0 flex-1">
            <p className="font-medium">Replying to {replyTo.sender.nickname}</p>
            <p className="truncate text-xs text-muted">{replyTo.content}</p>
          </div>
          <button
            type="button"
            onClick={() => {
              setReplyTo(null);
              ref.current?.focus();
            }}
            className="inline-flex size-7 shrink-0 items-center justify-center rounded-md text-muted hover:bg-surface-3 hover:text-fg"
          >
            <CloseIcon className="size-4" />
            <span className="sr-only">Cancel reply</span>
          </button>
        </div>
      ) : null}
      <div className="relative flex items-end gap-2">
        {mentions.open ? (
          <MentionSuggestions
            id={mentions.listId}
            options={mentions.options}
            activeIndex={mentions.activeIndex}
            optionId={mentions.optionId}
            onPick={mentions.pick}
          />
        ) : null}
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          onChange={(event) => {
            if (event.target.files) tray.add(event.target.files);
            event.target.value = '';
          }}
        />
        <button
          type="button"
          onClick={() => picker.current?.click()}
          className="inline-flex size-10 shrink-0 items-center justify-center rounded-full text-muted hover:bg-surface-2 hover:text-fg"
        >
          <PaperclipIcon className="size-5" />
          <span className="sr-only">Attach files</span>
        </button>
        <textarea
          {...mentions.inputProps}
          ref={ref}
          aria-label="Message"
          placeholder="Write a message…"
          rows={1}
          value={text}
          maxLength={LIMITS.contentMax}
          onSelect={(event) => mentions.track(event.currentTarget)}
          onChange={(event) => {
            setText(event.target.value);
            mentions.track(event.target);
            if (event.target.value.trim()) emitTyping(conversationId);
            else emitStoppedTyping(conversationId);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          className="field-sizing-content max-h-[200px] min-h-10 min-w-0 flex-1 resize-none rounded-2xl border border-line bg-bg px-4 py-2 text-[15px] leading-snug placeholder:text-muted focus-visible:outline-2 focus-visible:outline-ring focus-visible:outline-offset-0"
        />
        <button
          type="submit"
          disabled={!canSend}
          className="inline-flex size-10 shrink-0 items-center justify-center rounded-full bg-accent text-on-accent transition-colors hover:bg-accent-hover disabled:opacity-40 disabled:hover:bg-accent"
        >
          <SendIcon className="size-5" />
          <span className="sr-only">Send</span>
        </button>
      </div>
    </form>
  );
}

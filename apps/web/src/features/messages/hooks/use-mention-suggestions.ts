import { type Member, mentionQueryAt } from '@parley/contracts';
import { type KeyboardEvent, type RefObject, useId, useState } from 'react';

/**
 * Suggestions after `@` in the composer (UI.md: listbox "Mention suggestions"), keyboard first: arrows
 * move, Enter or Tab picks, Escape closes until another `@` is typed. Uses the server's own rules
 * (mentionQueryAt, packages/contracts) for where a mention can start.
 */
export function useMentionSuggestions({
  text,
  setText,
  members,
  meId,
  inputRef,
}: {
  text: string;
  setText: (text: string) => void;
  members: Member[];
  meId: number;
  inputRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const listId = useId();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const query = mentionQueryAt(text, caret);
  const needle = query?.query.toLowerCase() ?? '';
  const options =
    query && query.at !== dismissedAt
      ? members.filter((m) => m.id !== meId && m.nickname.toLowerCase().startsWith(needle)).slice(0, 8)
      : [];
  const open = options.length > 0;
  const activeIndex = Math.min(active, options.length - 1);

  function pick(member: Member) {
    if (!query) return;
    const before = text.slice(0, query.at);
    const after = text.slice(caret);
    const inserted = `@${member.nickname} `;
    setText(before + inserted + after.replace(/^ /, ''));
    const position = before.length + inserted.length;
    setCaret(position);
    setActive(0);
    requestAnimationFrame(() => inputRef.current?.setSelectionRange(position, position));
  }

  /** True when the key was the suggestions' to handle (the composer must not also act on it). */
  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + options.length) % options.length);
      return true;
    }
    if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      event.preventDefault();
      const member = options[activeIndex];
      if (member) pick(member);
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setDismissedAt(query?.at ?? null);
      return true;
    }
    return false;
  }

  const track = (element: HTMLTextAreaElement) => {
    setCaret(element.selectionStart ?? element.value.length);
    setActive(0);
  };

  return {
    open,
    options,
    activeIndex,
    listId,
    optionId: (index: number) => `${listId}-${index}`,
    pick,
    onKeyDown,
    track,
    // The composer stays textbox "Message" (UI.md): a textbox may carry autocomplete and an active option.
    inputProps: {
      'aria-autocomplete': 'list' as const,
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': open ? `${listId}-${activeIndex}` : undefined,
    },
  };
}

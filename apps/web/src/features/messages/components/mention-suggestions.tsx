import type { Member } from '@parley/contracts';

/** The listbox over the composer; options are picked with the keyboard from the textbox, or clicked. */
export function MentionSuggestions({
  id,
  options,
  activeIndex,
  optionId,
  onPick,
}: {
  id: string;
  options: Member[];
  activeIndex: number;
  optionId: (index: number) => string;
  onPick: (member: Member) => void;
}) {
  return (
    <div
      id={id}
      role="listbox"
      aria-label="Mention suggestions"
      className="absolute right-3 bottom-full left-3 mb-1 max-h-56 overflow-y-auto rounded-xl border border-line bg-surface p-1 shadow-lg sm:right-auto sm:w-72"
    >
      {options.map((member, index) => (
        // biome-ignore lint/a11y/useKeyWithClickEvents: keys are the textbox's (aria-activedescendant); the click is for the mouse
        <div
          key={member.id}
          id={optionId(index)}
          role="option"
          tabIndex={-1}
          aria-selected={index === activeIndex}
          // Keep focus in the textbox: a click picks without blurring it.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(member)}
          className={`cursor-pointer truncate rounded-lg px-3 py-1.5 text-sm ${index === activeIndex ? 'bg-accent-soft font-medium' : 'hover:bg-surface-2'}`}
        >
          {member.nickname}
        </div>
      ))}
    </div>
  );
}

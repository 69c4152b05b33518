import { EmojiPicker, type EmojiPickerListComponents } from 'frimousse';

const components: Partial<EmojiPickerListComponents> = {
  CategoryHeader: ({ category, ...props }) => (
    <div className="bg-surface px-1 pt-2 pb-1 text-xs font-medium text-muted" {...props}>
      {category.label}
    </div>
  ),
  Row: ({ children, ...props }) => (
    <div className="scroll-my-1 px-0.5" {...props}>
      {children}
    </div>
  ),
  Emoji: ({ emoji, ...props }) => (
    <button
      type="button"
      className="flex size-9 items-center justify-center rounded-md text-xl data-[active]:bg-surface-2"
      {...props}
    >
      {emoji.emoji}
    </button>
  ),
};

/**
 * frimousse over emojibase-data served from our own origin (emojibase-data.ts). Its own chunk,
 * loaded the first time a picker opens: the data (and this code) costs nothing until then.
 */
export default function EmojiPickerPanel({ onPick }: { onPick: (emoji: string) => void }) {
  return (
    <EmojiPicker.Root
      emojibaseUrl={import.meta.env.EMOJIBASE_URL}
      columns={8}
      onEmojiSelect={({ emoji }) => onPick(emoji)}
      className="flex h-[min(60vh,22rem)] w-full flex-col gap-2"
    >
      <div className="flex items-center gap-2">
        <EmojiPicker.Search
          aria-label="Search emoji"
          placeholder="Search emoji"
          autoFocus
          className="h-9 min-w-0 flex-1 rounded-lg border border-line bg-bg px-3 text-sm focus-visible:outline-2 focus-visible:outline-ring focus-visible:outline-offset-0"
        />
        <EmojiPicker.SkinToneSelector className="size-9 shrink-0 rounded-lg text-lg hover:bg-surface-2" />
      </div>
      <EmojiPicker.Viewport className="relative flex-1 outline-none">
        <EmojiPicker.Loading className="absolute inset-0 flex items-center justify-center text-sm text-muted">
          Loading…
        </EmojiPicker.Loading>
        <EmojiPicker.Empty className="absolute inset-0 flex items-center justify-center text-sm text-muted">
          No emoji found.
        </EmojiPicker.Empty>
        <EmojiPicker.List className="select-none pb-1" components={components} />
      </EmojiPicker.Viewport>
    </EmojiPicker.Root>
  );
}

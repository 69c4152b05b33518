import * as Dialog from '@radix-ui/react-dialog';
import { lazy, type ReactElement, Suspense, useState } from 'react';
import { Spinner } from '../../../components/spinner.tsx';

const EmojiPickerPanel = lazy(() => import('./emoji-picker-panel.tsx'));

interface EmojiPickerDialogProps {
  /** The button that opens it; focus returns there when the dialog closes. */
  trigger: ReactElement;
  onPick: (emoji: string) => void;
}

/** Dialog "Pick an emoji": the picker's code and data load when it first opens. */
export function EmojiPickerDialog({ trigger, onPick }: EmojiPickerDialogProps) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 animate-fade-in bg-black/30" />
        <Dialog.Content
          aria-describedby={undefined}
          className="fixed top-1/2 left-1/2 z-50 w-[min(92vw,21rem)] -translate-x-1/2 -translate-y-1/2 animate-pop-in rounded-2xl border border-line bg-surface p-3 shadow-xl"
        >
          <Dialog.Title className="mb-2 px-1 text-sm font-semibold">Pick an emoji</Dialog.Title>
          {open ? (
            <Suspense fallback={<Spinner className="p-4" />}>
              <EmojiPickerPanel
                onPick={(emoji) => {
                  setOpen(false);
                  onPick(emoji);
                }}
              />
            </Suspense>
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

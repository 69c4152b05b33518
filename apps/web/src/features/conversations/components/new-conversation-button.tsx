import { lazy, Suspense, useRef, useState } from 'react';
import { Button } from '../../../components/button.tsx';
import { PlusIcon } from '../../../components/icons.tsx';

const loadDialog = () => import('./new-conversation-dialog.tsx');
const NewConversationDialog = lazy(loadDialog);

/** The sidebar's "New conversation": the dialog's code is fetched on hover or focus, before the click. */
export function NewConversationButton() {
  const [open, setOpen] = useState(false);
  const [mounted, setMounted] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <Button
        ref={buttonRef}
        size="sm"
        aria-haspopup="dialog"
        aria-expanded={open}
        onPointerEnter={() => void loadDialog()}
        onFocus={() => void loadDialog()}
        onClick={() => {
          setMounted(true);
          setOpen(true);
        }}
      >
        <PlusIcon className="size-4" />
        New conversation
      </Button>
      {mounted ? (
        <Suspense fallback={null}>
          <NewConversationDialog open={open} onOpenChange={setOpen} returnFocusTo={buttonRef} />
        </Suspense>
      ) : null}
    </>
  );
}

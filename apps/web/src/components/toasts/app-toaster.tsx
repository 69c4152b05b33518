import { useEffect } from 'react';
import { Toaster, toast } from 'sonner';

export type Toast = typeof toast;

/** sonner's Toaster as the app places it; `onMounted` hears when it listens, with sonner's `toast`. */
export default function AppToaster({ onMounted }: { onMounted: (toast: Toast) => void }) {
  // A parent's effect runs after its children's: by now the Toaster has subscribed to new toasts.
  useEffect(() => onMounted(toast), [onMounted]);
  return (
    // Below the top bar (h-14), never over its controls; several toasts stack there.
    <Toaster
      position="top-right"
      offset={{ top: 72, right: 16 }}
      mobileOffset={{ top: 64, right: 8, left: 8 }}
      visibleToasts={4}
      theme="system"
      closeButton
      richColors
    />
  );
}

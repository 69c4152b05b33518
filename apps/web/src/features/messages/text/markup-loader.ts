import type { ReactNode } from 'react';
import { useEffect, useSyncExternalStore } from 'react';

type RenderMessageText = (text: string, own: boolean) => ReactNode[];

// markdown-it and its tables are a third of the conversation screen's code but no part of its first paint
// (ADR 049): messages show as plain text until this chunk is in, then every MessageText re-renders at once.
let render: RenderMessageText | null = null;
let loading: Promise<RenderMessageText> | null = null;
const listeners = new Set<() => void>();

/** Loads the Markdown renderer once; a failed fetch (offline) is retried by the next call. */
export function loadMessageMarkup(): Promise<RenderMessageText> {
  loading ??= import('./message-markup.tsx').then(
    (module) => {
      render = module.renderMessageText;
      for (const listener of listeners) listener();
      return render;
    },
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The renderer once loaded, else null (and the first caller starts loading it). */
export function useMessageMarkup(): RenderMessageText | null {
  const current = useSyncExternalStore(
    subscribe,
    () => render,
    () => render,
  );
  useEffect(() => {
    if (!current) loadMessageMarkup().catch(() => {});
  }, [current]);
  return current;
}

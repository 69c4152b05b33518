import type { ReactNode } from 'react';
import { startTransition, useEffect, useState } from 'react';

type RenderMessageText = (text: string, own: boolean) => ReactNode[];

// markdown-it and its tables are a third of the conversation screen's code but no part of its first paint
// (ADR 049): messages show as plain text until this chunk is in, then every MessageText re-renders.
let render: RenderMessageText | null = null;
let loading: Promise<RenderMessageText> | null = null;

/** Loads the Markdown renderer once; a failed fetch (offline) is retried by the next call. */
export function loadMessageMarkup(): Promise<RenderMessageText> {
  loading ??= import('./message-markup.tsx').then(
    (module) => {
      render = module.renderMessageText;
      return render;
    },
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/**
 * The renderer once loaded, else null (and the first caller starts loading it). The switch is a
 * transition: parsing every shown message's Markdown is React work in slices between which the page
 * answers. Read from a store instead, it was one synchronous render, 110–150 ms at 4× CPU (ADR 060).
 */
export function useMessageMarkup(): RenderMessageText | null {
  const [current, setCurrent] = useState(() => render);
  useEffect(() => {
    if (current) return;
    let mounted = true;
    loadMessageMarkup().then(
      (loaded) => {
        // Every MessageText's update lands in the same transition: they resolve in one microtask run.
        if (mounted) startTransition(() => setCurrent(() => loaded));
      },
      () => {},
    );
    return () => {
      mounted = false;
    };
  }, [current]);
  return current;
}

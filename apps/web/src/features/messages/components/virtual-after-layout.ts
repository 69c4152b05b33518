import { elementScroll, type VirtualizerOptions } from '@tanstack/react-virtual';
import { flushSync } from 'react-dom';

/**
 * The virtualizer's three touches of layout, moved out of React's commit (ADR 054).
 *
 * By default TanStack Virtual measures each row as its ref is attached, reads its scroll box and writes
 * the opening scroll position from a layout effect: each of those forces the browser to compute style and
 * layout for the whole history inside the commit, in the deepest JavaScript stack the page ever has. Here
 * rows and the scroll box are measured only by their ResizeObserver, which the browser calls after its own
 * layout, and scroll writes made before the first frame wait for that frame's animation callback.
 *
 * The first render places rows at their estimated (or already measured) sizes. In the observer's callback,
 * before that frame is painted, the virtualizer moves them and sizes the list (`directDomUpdates` in
 * message-list.tsx), and a taller scroll box renders the rows it now shows (below). Rows that enter the
 * range in that callback are measured one frame later, by the virtualizer's own rule.
 */
type Options = VirtualizerOptions<HTMLDivElement, Element>;

/** A row's size from its ResizeObserver entry; without one (the ref), what is known already. */
export const measureFromObserver: NonNullable<Options['measureElement']> = (element, entry, instance) => {
  const box = entry?.borderBoxSize?.[0];
  if (box) return Math.round(box.blockSize);
  const index = instance.indexFromElement(element);
  return instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? instance.options.estimateSize(index);
};

/**
 * The scroll box's size from its ResizeObserver only: until the first callback, `initialRect`. A new size is
 * rendered at once (flushSync), so a box taller than the estimate shows no blank strip in its first frame.
 */
export const observeRectAfterLayout: Options['observeElementRect'] = (instance, cb) => {
  const element = instance.scrollElement;
  if (!element) return;
  // Inside the observer's callback layout is up to date, so these reads cost nothing.
  const report = () => cb({ width: element.clientWidth, height: element.clientHeight });
  if (typeof ResizeObserver === 'undefined') return report();
  const observer = new ResizeObserver(() => flushSync(report));
  observer.observe(element);
  return () => observer.disconnect();
};

/**
 * A scroll function whose writes before the first animation frame are held, the last one applied in that
 * frame's callback, before it is painted; later writes go straight through.
 */
export function scrollAfterFirstFrame(): Options['scrollToFn'] {
  let held: Parameters<Options['scrollToFn']> | null = null;
  let frameSeen = false;
  return (offset, options, instance) => {
    if (frameSeen) return elementScroll(offset, options, instance);
    if (held === null) {
      requestAnimationFrame(() => {
        frameSeen = true;
        if (held) elementScroll(...held);
        held = null;
      });
    }
    held = [offset, options, instance];
  };
}

/** A worker that does not answer by then (blocked, or never started) no longer holds the formatters back. */
const WARM_UP_LIMIT_MS = 2_000;

/**
 * Pays ICU's start-up (20–45 ms on a fast machine, four times that on a phone: the first `Intl` object of a
 * page) in a worker instead of the page's main thread, and resolves once it is paid (ADR 058). ICU's data
 * belongs to the renderer process, not to one thread, so the page's own first formatter after this costs
 * what any other does. Resolves at once where no worker can start: the caller then pays it as before.
 */
export function warmIntlOffThread(): Promise<void> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./intl-warm-up.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      worker.terminate();
      resolve();
    };
    const timer = setTimeout(done, WARM_UP_LIMIT_MS);
    worker.onmessage = done;
    worker.onerror = done;
  });
}

/**
 * Runs `run` in a task of its own, queued behind the current one, so that a long piece of start-up work
 * becomes two shorter tasks between which the page can answer input and paint. A posted message, not
 * `setTimeout(run, 0)`: Chromium delays timers in a page it considers in the background (by up to a second)
 * and clamps nested ones, and nothing should wait for that. React's scheduler yields the same way.
 */
export function inNextTask(run: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    run();
  };
  channel.port2.postMessage(null);
}

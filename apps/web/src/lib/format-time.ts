import { inNextTask } from './next-task.ts';
import { warmIntlOffThread } from './warm-intl.ts';

// Each formatter is built once, on first use: Intl constructors are comparatively expensive and lists call
// these a lot. Not at module load: the first one a page builds initialises ICU (30–45 ms), which would land
// in the first script task of every screen, the sign-in page included, which shows no time at all.
const formatter = (options: Intl.DateTimeFormatOptions) => {
  let format: Intl.DateTimeFormat | undefined;
  return () => (format ??= new Intl.DateTimeFormat(undefined, options));
};
const timeFormat = formatter({ hour: 'numeric', minute: '2-digit' });
const weekdayFormat = formatter({ weekday: 'short' });
const dateFormat = formatter({ day: 'numeric', month: 'short', year: '2-digit' });
const fullFormat = formatter({ dateStyle: 'full', timeStyle: 'short' });
const dayFormat = formatter({ weekday: 'long', day: 'numeric', month: 'long' });

let buildScheduled = false;

/**
 * Builds the formatters for a screen that will show times, before its first render asks for them. ICU's
 * start-up, which the first Intl object pays, is paid in a worker first (ADR 058); then each formatter is
 * built in a task of its own (inNextTask), queued behind the one that asks (ADR 054, amended), so none
 * lands in the render that first shows a time (the conversation list's, the history's). Where the worker
 * cannot run, the first of those tasks pays ICU's start-up, as before. A render that needs a formatter
 * sooner builds it itself.
 */
export function buildTimeFormatsSoon(): void {
  // The route loader runs again on revalidation: once is enough.
  if (buildScheduled) return;
  buildScheduled = true;
  const queue = [timeFormat, dayFormat, fullFormat, weekdayFormat, dateFormat];
  const next = () => {
    queue.shift()?.();
    if (queue.length > 0) inNextTask(next);
  };
  void warmIntlOffThread().then(() => inNextTask(next));
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

const DAY = 24 * 60 * 60 * 1000;

/** Messenger style: the time today, the weekday within the last week, else the date. */
export function formatListTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY);
  if (days <= 0) return timeFormat().format(date);
  if (days < 7) return weekdayFormat().format(date);
  return dateFormat().format(date);
}

export function formatTime(iso: string): string {
  return timeFormat().format(new Date(iso));
}

export function formatFull(iso: string): string {
  return fullFormat().format(new Date(iso));
}

/** "Today", "Yesterday" or the day, for separators between days in the history. */
export function formatDay(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return dayFormat().format(date);
}

export function isSameDay(a: string, b: string): boolean {
  return startOfDay(new Date(a)) === startOfDay(new Date(b));
}

/** "Seen at 10:32" today, "Seen Mon 10:32" or a date before. */
export function formatSeenAt(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY);
  if (days <= 0) return `Seen at ${timeFormat().format(date)}`;
  return `Seen ${days < 7 ? weekdayFormat().format(date) : dateFormat().format(date)} at ${timeFormat().format(date)}`;
}

import type { Message } from '@parley/contracts';
import { isSameDay } from '../../lib/format-time.ts';
import type { MessageWindow } from './api.ts';
import type { OutboxEntry } from './outbox.ts';

export type Row =
  | { kind: 'start'; key: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: Message; newDay: boolean; grouped: boolean }
  | { kind: 'pending'; key: string; entry: OutboxEntry };

// Messages of one sender within this long of each other read as one run, under one name.
const GROUP_WINDOW_MS = 5 * 60_000;

export function unreadByMe(message: Message, meId: number): boolean {
  return message.kind === 'user' && message.sender.id !== meId && !message.seenBy.some((s) => s.userId === meId);
}

/**
 * Where "New messages" goes: the first message from someone else I have not seen. Seen receipts form a
 * prefix, so it is the first unseen one once a seen one (or the start) precedes it; `undefined` says the
 * history held is too short to tell.
 */
export function firstUnread(history: MessageWindow, meId: number): number | null | undefined {
  const others = history.messages.filter((m) => m.kind === 'user' && m.sender.id !== meId);
  const index = others.findIndex((m) => unreadByMe(m, meId));
  if (index === -1) return null;
  if (index === 0 && history.hasOlder) return undefined;
  return others[index]?.id ?? null;
}

/**
 * The history's rows, top to bottom: the start, the "New messages" separator before `unreadAnchor`,
 * day separators, messages (grouped into one sender's runs) and what is still being sent.
 */
export function historyRows(
  history: MessageWindow,
  pending: OutboxEntry[],
  meId: number,
  unreadAnchor: number | null | undefined,
): Row[] {
  const result: Row[] = [];
  if (!history.hasOlder) result.push({ kind: 'start', key: 'start' });
  const confirmedClientIds = new Set<string>();
  let previous: Message | undefined;
  for (const message of history.messages) {
    if (message.clientId) confirmedClientIds.add(message.clientId);
    const newDay = !previous || !isSameDay(previous.createdAt, message.createdAt);
    const separated = message.id === unreadAnchor;
    if (separated) result.push({ kind: 'unread', key: 'unread' });
    const grouped =
      !newDay &&
      !separated &&
      previous !== undefined &&
      previous.kind === 'user' &&
      message.kind === 'user' &&
      previous.sender.id === message.sender.id &&
      Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_WINDOW_MS;
    // Keyed by clientId where there is one, so a sent message keeps its row (and its place) when confirmed.
    const key = message.clientId && message.sender.id === meId ? `c${message.clientId}` : `m${message.id}`;
    result.push({ kind: 'message', key, message, newDay, grouped });
    previous = message;
  }
  for (const entry of pending) {
    // The socket may confirm a send a moment before the outbox forgets it: never show both.
    if (!confirmedClientIds.has(entry.clientId)) result.push({ kind: 'pending', key: `c${entry.clientId}`, entry });
  }
  return result;
}

import { type ConversationEvent, LIMITS, type Message, type ReplyRef, type SeenEntry } from '@parley/contracts';
import type { MessageWindow } from './api.ts';

/** What a reply shows of its original, by the contract's rule (ReplyRef): as it is now. */
export function replyRefOf(original: Message): ReplyRef {
  const deleted = original.deletedAt !== null;
  return {
    id: original.id,
    sender: original.sender,
    // Code points, not UTF-16 units: an emoji at the cut is never split in half.
    excerpt: deleted ? '' : Array.from(original.content).slice(0, LIMITS.excerptMax).join(''),
    deleted,
  };
}

function sameRef(a: ReplyRef, b: ReplyRef): boolean {
  return a.id === b.id && a.excerpt === b.excerpt && a.deleted === b.deleted && a.sender.id === b.sender.id;
}

/** Receipts never un-happen: a newer copy of a message keeps every receipt either copy knows. */
function mergeSeen(held: SeenEntry[], incoming: SeenEntry[]): SeenEntry[] {
  const known = new Set(incoming.map((entry) => entry.userId));
  const missing = held.filter((entry) => !known.has(entry.userId));
  if (missing.length === 0) return incoming;
  return [...incoming, ...missing].sort((a, b) => a.seenAt.localeCompare(b.seenAt) || a.userId - b.userId);
}

/**
 * Places messages by id, each once, a newer copy replacing the one held (payloads describe a message as it
 * is now, so applying one twice changes nothing). Replies held to a message that changed show it as it is now.
 */
export function upsertMessages(current: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((message) => [message.id, message]));
  let appendOnly = true;
  let last = current.at(-1)?.id ?? 0;
  for (const message of incoming) {
    const held = byId.get(message.id);
    if (held || message.id < last) appendOnly = false;
    last = Math.max(last, message.id);
    byId.set(message.id, held ? { ...message, seenBy: mergeSeen(held.seenBy, message.seenBy) } : message);
  }
  // The common case, new messages after everything held, needs no sort.
  const messages = appendOnly ? [...current, ...incoming] : [...byId.values()].sort((a, b) => a.id - b.id);
  return withReplyRefs(messages, incoming);
}

/** Replies held to any of `originals` show it as it is now (API.md: no event is sent for the replies). */
function withReplyRefs(messages: Message[], originals: Message[]): Message[] {
  const byId = new Map(originals.map((message) => [message.id, message]));
  let changed = false;
  const next = messages.map((message) => {
    const original = message.replyTo && byId.get(message.replyTo.id);
    if (!original || !message.replyTo) return message;
    const ref = replyRefOf(original);
    if (sameRef(ref, message.replyTo)) return message;
    changed = true;
    return { ...message, replyTo: ref };
  });
  return changed ? next : messages;
}

function withSeen(messages: Message[], userId: number, ids: Set<number>, seenAt: string): Message[] {
  let changed = false;
  const next = messages.map((message) => {
    if (!ids.has(message.id) || message.sender.id === userId) return message;
    if (message.seenBy.some((entry) => entry.userId === userId)) return message;
    changed = true;
    return { ...message, seenBy: [...message.seenBy, { userId, seenAt }] };
  });
  return changed ? next : messages;
}

/** Who saw which messages, from a `message:seen` or the answer to our own POST …/seen. */
export function windowWithSeen(
  window: MessageWindow,
  seen: { userId: number; messageIds: number[]; seenAt: string },
): MessageWindow {
  const messages = withSeen(window.messages, seen.userId, new Set(seen.messageIds), seen.seenAt);
  return messages === window.messages ? window : { ...window, messages };
}

/**
 * One sequenced event applied to a conversation's loaded history, whatever its `seq`: the caller
 * decides, by the window's `seq`, whether it is due (see applyEvent). Payloads are states, so this is
 * idempotent.
 */
export function applyToWindow(window: MessageWindow, event: ConversationEvent): MessageWindow {
  switch (event.type) {
    case 'message:new':
      return { ...window, messages: upsertMessages(window.messages, [event.payload]) };
    case 'message:updated': {
      const { message } = event.payload;
      // An original older than the window only refreshes the replies held to it: inserting it would
      // leave a hole in the history.
      const messages = window.messages.some((m) => m.id === message.id)
        ? upsertMessages(window.messages, [message])
        : withReplyRefs(window.messages, [message]);
      return messages === window.messages ? window : { ...window, messages };
    }
    case 'message:seen':
      return windowWithSeen(window, event.payload);
    case 'conversation:updated':
      // Its system entry, if any, is the next event (a `message:new`).
      return window;
  }
}

import type { Message } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { fetchAround, fetchNewer, messagesQuery } from './api.ts';
import { upsertMessages } from './window-events.ts';

// 20 pages of 100 reach 2,000 messages back; a quote further away than that is opened no more cleverly.
const MAX_PAGES = 20;

/**
 * Grows a conversation's history back to a message it does not hold yet (a reply's original): the page
 * around it (`around=`), then the pages between it and what is held (`after=`), so the history stays one
 * run without holes. Resolves whether the message is now held.
 */
export async function loadThrough(queryClient: QueryClient, conversationId: number, messageId: number) {
  const key = messagesQuery(conversationId).queryKey;
  const held = queryClient.getQueryData(key);
  if (!held) return false;
  if (held.messages.some((m) => m.id === messageId)) return true;
  const oldest = held.messages[0];
  if (!oldest || messageId > oldest.id) return false;

  const around = await fetchAround(conversationId, messageId);
  let collected: Message[] = around.messages;
  const joins = (page: Message[]) => page.some((m) => m.id >= oldest.id);
  let joined = around.hasMoreAfter === false || joins(collected);
  for (let page = 0; !joined && page < MAX_PAGES; page++) {
    const last = collected.at(-1);
    if (!last) break;
    const next = await fetchNewer(conversationId, last.id);
    collected = [...collected, ...next.messages];
    joined = !next.hasMore || joins(next.messages);
  }
  if (!joined) return false;
  queryClient.setQueryData(key, (window) =>
    window ? { ...window, messages: upsertMessages(window.messages, collected), hasOlder: around.hasMore } : window,
  );
  return collected.some((m) => m.id === messageId);
}

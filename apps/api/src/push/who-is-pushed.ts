import type { Conversation, Message, PushPayload } from '@parley/contracts';

/** What decides whether one member hears about one message by push (API.md, "Web push"). */
export interface RecipientState {
  /** The member has a visible Parley tab somewhere: that tab tells them. */
  looking: boolean;
  /** The member muted the conversation. */
  muted: boolean;
  /** The message mentions the member. */
  mentioned: boolean;
}

/** A muted conversation pushes only mentions; nobody looking at a tab is pushed at all. */
export function shouldPush({ looking, muted, mentioned }: RecipientState): boolean {
  if (looking) return false;
  return !muted || mentioned;
}

/** Whether `message` mentions `userId` (the server works out `mentions` on every send). */
export function mentions(message: Pick<Message, 'mentions'>, userId: number): boolean {
  return message.mentions.includes(userId);
}

export const PUSH_BODY_MAX = 200;

/** The message's text without its Markdown markup, on one line (API.md, "Message text"). */
export function plainText(content: string): string {
  return content
    .replace(/```[^\n]*\n?/g, '')
    .replace(/^> /gm, '')
    .replace(/(\*\*|~~|`)(.+?)\1/g, '$2')
    .replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?!\*)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** At most `max` UTF-16 units, never cutting a surrogate pair, ending in "…" when cut. */
export function truncate(text: string, max = PUSH_BODY_MAX): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/**
 * What the recipient reads: the sender, and the conversation as the recipient sees it (its title is
 * the sender's name in a direct conversation, so it is not repeated there).
 */
export function pushPayload(message: Message, seenAs: Pick<Conversation, 'kind' | 'title'>): PushPayload {
  const sender = message.sender.nickname;
  return {
    conversationId: message.conversationId,
    messageId: message.id,
    title: seenAs.kind === 'direct' ? sender : `${sender} in ${seenAs.title}`,
    body: truncate(plainText(message.content)),
    url: `/c/${message.conversationId}`,
  };
}

/** `Topic` per conversation: a newer push replaces an older one still queued (≤ 32 URL-safe base64 chars). */
export function topicOf(conversationId: number): string {
  return `conversation-${conversationId}`;
}

/** A mention is worth waking a phone for; anything else can wait for the device's next good moment. */
export function urgencyOf(mentioned: boolean): 'high' | 'normal' {
  return mentioned ? 'high' : 'normal';
}

import { type Conversation, type Message, notifies } from '@parley/contracts';
import { toast } from '../../components/toasts/toasts.tsx';
import { notifyThroughServiceWorker } from './through-service-worker.ts';

export interface Notifier {
  message(message: Message, conversation: Conversation | undefined): void;
  /** An edit: only a mention of me that it adds notifies (API.md), muted or not. */
  edited(message: Message, before: Message, conversation: Conversation | undefined): void;
  conversation(conversation: Conversation): void;
  dispose(): void;
}

interface NotifierOptions {
  userId: number;
  /** True when this tab is visible and showing that conversation: nothing to announce then. */
  isViewing(conversationId: number): boolean;
  open(conversationId: number): void;
}

// Long enough for the other tabs of this user to receive the same socket event and say they show it.
const CLAIM_DELAY_MS = 300;

function permission(): NotificationPermission | 'unsupported' {
  return 'Notification' in window ? window.Notification.permission : 'unsupported';
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
}

/**
 * System notifications, at most one per event across all tabs of a user. Every tab receives every
 * event; the tab holding a Web Lock is the only one that calls `new Notification`, after a short wait
 * during which a tab that is showing the conversation can veto it over a BroadcastChannel. Without
 * permission, each tab shows an in-app toast instead (it is only seen in the tab that is looked at).
 */
export function createNotifier({ userId, isViewing, open }: NotifierOptions): Notifier {
  const channel = 'BroadcastChannel' in window ? new BroadcastChannel(`parley:notify:${userId}`) : null;
  const vetoed = new Set<string>();
  const announced = new Set<string>();
  const locks = 'locks' in navigator ? navigator.locks : undefined;
  // Without Web Locks there is no way to pick one tab; each tab notifying is the lesser evil.
  let leader = !locks;
  const abort = new AbortController();
  let releaseLock: (() => void) | undefined;

  locks
    ?.request(`parley:notifier:${userId}`, { signal: abort.signal }, () => {
      leader = true;
      return new Promise<void>((resolve) => {
        releaseLock = resolve;
      });
    })
    .catch(() => {});

  const onBroadcast = (event: MessageEvent) => {
    const data = event.data as { type?: string; key?: string } | null;
    if (data?.type === 'viewing' && typeof data.key === 'string') vetoed.add(data.key);
  };
  channel?.addEventListener('message', onBroadcast);

  function announce(key: string, conversationId: number, title: string, body: string, messageId?: number) {
    if (announced.has(key)) return;
    announced.add(key);
    if (isViewing(conversationId)) {
      channel?.postMessage({ type: 'viewing', key });
      return;
    }
    if (permission() === 'granted') {
      window.setTimeout(() => {
        if (!leader || vetoed.has(key)) return;
        // Through the service worker when one controls the page: it meets the push for the same
        // message there and shows only one of the two (ADR 036).
        const url = `/c/${conversationId}`;
        if (notifyThroughServiceWorker({ conversationId, messageId, title, body, url })) return;
        try {
          const notification = new window.Notification(title, { body, tag: key });
          notification.onclick = () => {
            window.focus();
            open(conversationId);
            notification.close();
          };
        } catch {
          // Some platforms only allow notifications from a service worker; the toast still informs.
          toast(title, { description: body });
        }
      }, CLAIM_DELAY_MS);
      return;
    }
    toast(title, {
      description: body,
      action: { label: 'Open', onClick: () => open(conversationId) },
    });
  }

  return {
    message(message, conversation) {
      // Not my own, not a system entry; when muted, only a mention of me (the rule the server's push uses).
      const muted = conversation?.muted ?? false;
      if (!notifies({ id: userId, muted }, { ...message, senderId: message.sender.id })) return;
      const where = conversation?.title;
      const title = where ? `${message.sender.nickname} in ${where}` : message.sender.nickname;
      announce(`message:${message.id}`, message.conversationId, title, preview(message.content), message.id);
    },
    edited(message, before, conversation) {
      if (message.sender.id === userId || message.deletedAt) return;
      if (!message.mentions.includes(userId) || before.mentions.includes(userId)) return;
      const where = conversation?.title;
      const title = where ? `${message.sender.nickname} in ${where}` : message.sender.nickname;
      announce(`mention:${message.id}:${message.editedAt}`, message.conversationId, title, preview(message.content));
    },
    conversation(conversation) {
      // A direct conversation has no owner to say who opened it (it may be me, in another tab): its first
      // message is what notifies.
      if (conversation.kind === 'direct' || conversation.ownerId === userId) return;
      const owner = conversation.members.find((member) => member.id === conversation.ownerId)?.nickname;
      announce(
        `conversation:${conversation.id}`,
        conversation.id,
        'New conversation',
        `${owner ?? 'Someone'} added you to “${conversation.title}”`,
      );
    },
    dispose() {
      abort.abort();
      releaseLock?.();
      channel?.removeEventListener('message', onBroadcast);
      channel?.close();
    },
  };
}

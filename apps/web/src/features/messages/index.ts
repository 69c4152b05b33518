// The messages feature's public surface: other features and app/ import from here, never from its files.
export { messagesQuery } from './api.ts';
export { clearTyping, setTyping } from './cache.ts';
export { clearComposerDrafts } from './hooks/use-composer-draft.ts';
export { loadConversationPage } from './load-conversation-page.ts';
export { clearOutbox } from './outbox.ts';
export { OutboxProvider, useOutboxSender } from './outbox-provider.tsx';
export type { OutboxSender } from './outbox-sender.ts';
export { type ApplyResult, applyEvent, type ConversationSync, createConversationSync } from './sync.ts';

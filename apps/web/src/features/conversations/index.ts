// The conversations feature's public surface: other features and app/ import from here, never from its files.
export {
  findConversation,
  removeConversation,
  setConversationMuted,
  showSentInList,
  upsertConversation,
} from './cache.ts';
export { ConversationHeader } from './components/conversation-header.tsx';
export { Sidebar } from './components/sidebar.tsx';
export { clearNewConversationDraft } from './hooks/use-new-conversation-draft.ts';
export { useUnreadTitle } from './hooks/use-unread-title.ts';
export { keepNewerMutes, muteMark } from './mute-ledger.ts';
export { conversationDetailsKey, conversationQuery, conversationsQuery } from './queries.ts';
export { applyToSummary, mergeSummaries, sortByActivity } from './summary-events.ts';

import { useLogout } from '../features/auth/index.ts';
import { clearNewConversationDraft } from '../features/conversations/index.ts';
import { clearComposerDrafts, clearOutbox } from '../features/messages/index.ts';
import { forgetThisDevice } from '../features/push/index.ts';

/**
 * A deliberate sign-out also leaves nothing of this user's on the device: unsent messages and drafts go.
 * A session that merely expired (a 401, see query-client.ts) keeps them, so the outbox can still be
 * sent and the drafts finished after signing in again. Composed here because auth knows no other feature.
 */
function forgetDevice(userId: number): void {
  void clearOutbox(userId);
  clearComposerDrafts(userId);
  clearNewConversationDraft(userId);
  void forgetThisDevice().catch(() => {});
}

export function useSignOut() {
  return useLogout(forgetDevice);
}

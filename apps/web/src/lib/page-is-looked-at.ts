/**
 * The tab is visible and focused: what is on screen is being looked at. Both "seen" receipts and
 * "read as it arrives" ask this, so they never disagree about the same moment.
 */
export function pageIsLookedAt(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

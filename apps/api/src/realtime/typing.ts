/**
 * At most `burst` typing events per key in any `windowMs`: a flood is dropped, not relayed. The key is
 * the user and conversation (API.md), so opening more sockets buys no more relays.
 */
export function createTypingThrottle(burst = 3, windowMs = 1_000) {
  const recent = new Map<string, number[]>();
  let lastPrune = 0;
  // Keys of people who stopped typing long ago go, so the map stays as small as the active typists.
  const prune = (now: number) => {
    if (now - lastPrune < windowMs * 10) return;
    lastPrune = now;
    for (const [key, times] of recent) if (now - times[times.length - 1]! >= windowMs) recent.delete(key);
  };
  return {
    allow(userId: number, conversationId: number, now = Date.now()): boolean {
      prune(now);
      const key = `${userId}:${conversationId}`;
      const times = (recent.get(key) ?? []).filter((t) => now - t < windowMs);
      if (times.length >= burst) return false;
      times.push(now);
      recent.set(key, times);
      return true;
    },
  };
}

/**
 * Small synchronous persistence for drafts: localStorage survives reloads and is readable during the first
 * render, so a restored draft never flashes empty. Failures (quota, private mode) only lose the draft.
 */
export function readLocal<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

export function writeLocal(key: string, value: unknown): void {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Drafts are a convenience; never break typing over storage.
  }
}

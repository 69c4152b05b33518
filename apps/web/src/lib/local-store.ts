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

/** Removes every key that starts with `prefix`. */
export function removeLocalByPrefix(prefix: string): void {
  try {
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    for (const key of keys) localStorage.removeItem(key);
  } catch {
    // Nothing stored, or storage unavailable.
  }
}

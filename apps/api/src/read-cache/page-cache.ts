/** What a read cached, as it goes on the wire: the JSON bytes and the ETag Express would give them. */
export interface CachedPage {
  body: Buffer;
  etag: string | undefined;
}

/**
 * The moment a cached page describes: its conversation's `last_seq` and the nickname version
 * (ADR 046). Every change a page shows moves one of the two in the transaction that makes it.
 */
export interface ReadVersion {
  seq: number;
  nicknames: number;
}

interface Entry extends CachedPage, ReadVersion {
  size: number;
}

/** Bookkeeping per entry beyond its bytes (the key, the object, the Map slot), roughly. */
const ENTRY_OVERHEAD = 200;

/**
 * Serialised pages in process memory, least recently used first out once their bytes pass
 * `maxBytes`. One entry per key (a conversation and the page's parameters): a page read at a newer
 * version replaces the older one, so pages of versions nobody can read again do not pile up.
 * A hit is exact by construction: it needs the very version the caller just read from PostgreSQL.
 */
export function createPageCache(maxBytes: number) {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  const drop = (key: string, entry: Entry) => {
    entries.delete(key);
    bytes -= entry.size;
  };

  return {
    get(key: string, version: ReadVersion): CachedPage | undefined {
      const entry = entries.get(key);
      if (!entry || entry.seq !== version.seq || entry.nicknames !== version.nicknames) {
        misses++;
        return undefined;
      }
      // Map order is the recency order: a hit moves to the back.
      entries.delete(key);
      entries.set(key, entry);
      hits++;
      return entry;
    },
    set(key: string, version: ReadVersion, page: CachedPage): void {
      const size = page.body.length + key.length + ENTRY_OVERHEAD;
      const old = entries.get(key);
      if (old) drop(key, old);
      if (size > maxBytes) return;
      entries.set(key, { ...page, ...version, size });
      bytes += size;
      for (const [oldest, entry] of entries) {
        if (bytes <= maxBytes) break;
        drop(oldest, entry);
      }
    },
    /** For /metrics and for tests that must know a read was answered from memory. */
    stats: () => ({ hits, misses, entries: entries.size, bytes }),
  };
}

export type PageCache = ReturnType<typeof createPageCache>;

/**
 * Active API keys remembered in process (key hash → the key's id, project and scope), so an ingest does
 * not read its key from the database each time (issue 27: on PostgreSQL that read was a round trip per
 * request).
 *
 * A revocation holds at once, everywhere: the store says when keys were revoked or deleted
 * (`AppStore.onKeysRevoked`: SQLite in the revoking call; PostgreSQL through a NOTIFY that every
 * instance hears at the commit, and on which the revoking call waits for its own instance), and the
 * cache forgets them. A lookup that was reading while a revocation was heard keeps nothing, since its
 * read may predate the revocation. The bound (least recently used first out) and the time to live
 * are safety nets, not the mechanism: a key is read again at least every `ttlMs`.
 */
import type { ActiveKey } from '../store/records.ts';
import type { AppStore } from '../store/types.ts';

/** Keys remembered at most (a few per project is usual; beyond this the least recently used go). */
export const KEY_CACHE_MAX = 5_000;
/** The longest a key is used without reading it again. */
export const KEY_CACHE_TTL_MS = 30_000;

export interface KeyCacheOptions {
  max?: number;
  ttlMs?: number;
  /** The clock for the time to live (real time: the app's clock may be a test's). */
  clock?: () => number;
}

export interface CachedKeys {
  /** As `store.apiKeys.activeByHash`, answered from memory when the key was read lately. */
  activeByHash(hash: string): Promise<ActiveKey | null>;
  /** Keys remembered now. */
  size(): number;
  /** Stops listening for revocations (and forgets every key). */
  stop(): void;
}

export function cachedKeys(store: Pick<AppStore, 'apiKeys' | 'onKeysRevoked'>, options: KeyCacheOptions = {}): CachedKeys {
  const max = options.max ?? KEY_CACHE_MAX;
  const ttlMs = options.ttlMs ?? KEY_CACHE_TTL_MS;
  const clock = options.clock ?? (() => performance.now());
  /** By key hash; a Map keeps insertion order, so the first entry is the least recently used. */
  const entries = new Map<string, { key: ActiveKey; until: number }>();
  /** Counts the revocations heard: a read that overlapped one is not kept. */
  let revocations = 0;

  const stopListening = store.onKeysRevoked((ids) => {
    revocations++;
    if (ids === null) {
      entries.clear();
      return;
    }
    const gone = new Set(ids);
    for (const [hash, entry] of entries) if (gone.has(entry.key.id)) entries.delete(hash);
  });

  return {
    async activeByHash(hash) {
      const hit = entries.get(hash);
      if (hit !== undefined) {
        entries.delete(hash);
        if (hit.until > clock()) {
          entries.set(hash, hit);
          return hit.key;
        }
      }
      const before = revocations;
      const key = await store.apiKeys.activeByHash(hash);
      // Unknown keys are not remembered: anyone can send those, and they would push out the real ones.
      if (key !== null && revocations === before) {
        entries.set(hash, { key, until: clock() + ttlMs });
        if (entries.size > max) entries.delete(entries.keys().next().value!);
      }
      return key;
    },
    size: () => entries.size,
    stop() {
      stopListening();
      entries.clear();
    },
  };
}

/**
 * De-duplication of pushes. CCC sends the same `X-TCCC-PUSH-UUID` on every retry of a push, so a push whose UUID
 * was already handled is answered as taken without calling the handler again. The store is pluggable: the default
 * keeps UUIDs in this process's memory, bounded by count and age; an app with several instances behind one URL
 * passes a shared one (Redis, a database table) with the same two methods.
 */

/** Where handled push UUIDs are kept. */
export interface SeenStore {
  /** Whether a push with this UUID was handled (and not forgotten since). */
  has(pushId: string): boolean | Promise<boolean>;
  /** Records that the push with this UUID was handled: called only after its handler succeeded. */
  add(pushId: string): void | Promise<void>;
}

export interface MemorySeenStoreOptions {
  /** The most UUIDs kept; the oldest is forgotten first (default 10 000). */
  readonly maxEntries?: number;
  /** How long a UUID is kept, ms (default 24 h: CCC's retries come within minutes). */
  readonly maxAgeMs?: number;
  /** The clock, for tests (default `Date.now`). */
  readonly now?: () => number;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

function positiveWhole(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new TypeError(`${name} must be a whole number from 1 to ${max}, got ${String(value)}`);
  return value;
}

/** The default store: this process's memory, at most `maxEntries` UUIDs, none older than `maxAgeMs`. */
export function createMemorySeenStore(options: MemorySeenStoreOptions = {}): SeenStore {
  const maxEntries = positiveWhole("maxEntries", options.maxEntries ?? DEFAULT_MAX_ENTRIES, 10_000_000);
  const maxAgeMs = positiveWhole("maxAgeMs", options.maxAgeMs ?? DEFAULT_MAX_AGE_MS, 365 * DEFAULT_MAX_AGE_MS);
  const now = options.now ?? Date.now;
  // Insertion order is age order: the first entries are the oldest.
  const added = new Map<string, number>();
  const forgetOld = () => {
    const cutoff = now() - maxAgeMs;
    for (const [id, at] of added) {
      if (at > cutoff && added.size <= maxEntries) break;
      added.delete(id);
    }
  };
  return {
    has(pushId) {
      forgetOld();
      return added.has(pushId);
    },
    add(pushId) {
      added.delete(pushId);
      added.set(pushId, now());
      forgetOld();
    },
  };
}

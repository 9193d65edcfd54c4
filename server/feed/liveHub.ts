/**
 * Fan-out of live-log entries to this process's open SSE connections.
 *
 * On one process (SQLite) the writer publishes what it just committed. When several processes share
 * the store (PostgreSQL), an entry committed by another one must reach this one's streams too, and
 * every stream must see every entry in log order: so the hub publishes only what it reads from the
 * log, in order, after the last entry it has read. A local write, a NOTIFY from any instance, and a
 * slow backstop timer all just make it read again.
 */
import type { LiveEntry } from '../store/eventRows.ts';

type Listener = (entry: LiveEntry) => void;

/** Where a shared store's hub reads the log: entries after a number (both modes), and the newest number. */
export interface LiveSource {
  after(seq: number, limit: number): Promise<LiveEntry[]>;
  last(): Promise<number>;
}

const READ_PAGE = 200;
/** How often a shared store's hub looks even without a wake-up (a NOTIFY lost with its connection). */
const BACKSTOP_MS = 5_000;

export function liveHub(source?: LiveSource, onError: (err: unknown) => void = () => {}) {
  const listeners = new Set<Listener>();
  const closers = new Set<() => void>();
  const fanOut = (entry: LiveEntry) => {
    for (const listener of listeners) listener(entry);
  };

  let cursor: number | null = null;
  let reading = false;
  let again = false;
  let backstop: NodeJS.Timeout | null = null;

  async function read(): Promise<void> {
    if (!source) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        cursor ??= await source.last();
        for (;;) {
          const page = await source.after(cursor, READ_PAGE);
          for (const entry of page) {
            cursor = entry.liveSeq;
            fanOut(entry);
          }
          if (page.length < READ_PAGE) break;
        }
      } while (again);
    } catch (err) {
      onError(err);
    } finally {
      reading = false;
    }
  }

  return {
    /** A change this process committed. */
    publish(entry: LiveEntry): void {
      if (source) void read();
      else fanOut(entry);
    },
    /** Something may have been appended to a shared store's log (a NOTIFY): read it. */
    wake(): void {
      void read();
    },
    /** For a shared store: notes where the log ends now, and starts the backstop timer. */
    async start(): Promise<void> {
      if (!source) return;
      cursor = await source.last();
      backstop = setInterval(() => void read(), BACKSTOP_MS);
      backstop.unref();
    },
    subscribe(listener: Listener, close: () => void): () => void {
      listeners.add(listener);
      closers.add(close);
      return () => {
        listeners.delete(listener);
        closers.delete(close);
      };
    },
    /** Ends every open stream (on shutdown, so in-flight requests can finish). */
    closeAll(): void {
      if (backstop) clearInterval(backstop);
      for (const close of [...closers]) close();
    },
  };
}

export type LiveHub = ReturnType<typeof liveHub>;

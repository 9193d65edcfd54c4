/**
 * Fan-out of live-log entries to this process's open SSE connections.
 *
 * One path for both engines: writers only append to the live log, the store says that the log has
 * new committed entries (`AppStore.listenLive`: SQLite after the writing turn, PostgreSQL by NOTIFY
 * from any instance), and the hub reads the log in order after the last entry it read, and fans each
 * entry out. Every stream thus sees every entry in log order, whoever wrote it. A wake-up while it
 * reads makes it read again once done; a slow backstop timer reads too (a NOTIFY lost with its
 * connection).
 */
import type { LiveEntry } from '../store/eventRows.ts';

type Listener = (entry: LiveEntry) => void;

/** Where the hub reads the log: entries after a number (both modes), and the newest number. */
export interface LiveSource {
  after(seq: number, limit: number): Promise<LiveEntry[]>;
  last(): Promise<number>;
}

const READ_PAGE = 200;
/** How often the hub looks even without a wake-up (a NOTIFY lost with its connection). */
const BACKSTOP_MS = 5_000;

export function liveHub(source: LiveSource, onError: (err: unknown) => void = () => {}) {
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
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        cursor ??= await source.last();
        if (listeners.size === 0) {
          // Nobody to tell: only note where the log ends (a stream that opens later replays what it
          // missed from the log itself, from after its own cursor). Kept only if still nobody
          // listens once the answer is in: a stream that opened meanwhile may need those entries.
          const end = await source.last();
          if (listeners.size === 0) {
            cursor = Math.max(cursor, end);
            continue;
          }
        }
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
    /**
     * Something may have been committed to the log (`upTo`: its newest number, when the store says):
     * read it. With nobody listening and the number given, only the cursor moves (no read at all).
     */
    wake(upTo?: number): void {
      if (upTo !== undefined && cursor !== null && !reading) {
        // Already read (PostgreSQL tells this instance twice: at once, and by its NOTIFY).
        if (upTo <= cursor) return;
        if (listeners.size === 0) {
          cursor = upTo;
          return;
        }
      }
      void read();
    },
    /** Notes where the log ends now, and starts the backstop timer. */
    async start(): Promise<void> {
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

/** In-process fan-out of live-log entries to the open SSE connections. */
import type { LiveEntry } from '../store/events.ts';

type Listener = (entry: LiveEntry) => void;

export function liveHub() {
  const listeners = new Set<Listener>();
  const closers = new Set<() => void>();
  return {
    publish(entry: LiveEntry): void {
      for (const listener of listeners) listener(entry);
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
      for (const close of [...closers]) close();
    },
  };
}

export type LiveHub = ReturnType<typeof liveHub>;

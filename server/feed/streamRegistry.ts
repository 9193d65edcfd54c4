/**
 * The open live streams of this process, by person and by session, so that no one can hold more
 * than a few: opening one past a limit closes that session's (or person's) oldest stream, which is
 * also what frees the slot of a connection a sleeping phone left half-open. A closed client that is
 * still there reconnects and resumes from its last id, so nothing is lost.
 */
export const STREAM_LIMITS = {
  perSession: 6,
  perUser: 20,
} as const;

export interface OpenStream {
  userId: string;
  sessionHash: string;
  /** Ends the stream; the registry forgets it when it calls the function `add` returned. */
  close(): void;
}

export function streamRegistry(limits: { perSession: number; perUser: number } = STREAM_LIMITS) {
  // Per person, oldest first.
  const byUser = new Map<string, OpenStream[]>();

  function remove(stream: OpenStream): void {
    const list = byUser.get(stream.userId);
    if (!list) return;
    const i = list.indexOf(stream);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) byUser.delete(stream.userId);
  }

  return {
    /** Registers an open stream, closing the oldest ones over the limits; returns its unregister. */
    add(stream: OpenStream): () => void {
      const list = byUser.get(stream.userId) ?? [];
      byUser.set(stream.userId, list);
      list.push(stream);
      const closeOldest = (of: OpenStream[], limit: number) => {
        for (const old of of.slice(0, Math.max(0, of.length - limit))) {
          remove(old);
          old.close();
        }
      };
      closeOldest(list.filter((s) => s.sessionHash === stream.sessionHash), limits.perSession);
      closeOldest([...list], limits.perUser);
      return () => remove(stream);
    },
    /** Ends every stream of one session (it was signed out). */
    closeSession(userId: string, sessionHash: string): void {
      for (const s of [...(byUser.get(userId) ?? [])]) {
        if (s.sessionHash !== sessionHash) continue;
        remove(s);
        s.close();
      }
    },
    /** Ends every stream of one person (their access changed: they reconnect under the new rights). */
    closeUser(userId: string): void {
      for (const s of [...(byUser.get(userId) ?? [])]) {
        remove(s);
        s.close();
      }
    },
    count: () => [...byUser.values()].reduce((n, list) => n + list.length, 0),
  };
}

export type StreamRegistry = ReturnType<typeof streamRegistry>;

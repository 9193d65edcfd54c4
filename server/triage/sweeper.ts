/**
 * The clock's part of working an event together (§12): snoozed events whose time has come are
 * brought back — into the default view, pushed again, on the timeline — by whichever instance's sweep
 * clears their snooze first (one guarded UPDATE each). Every instance runs one (main.ts); tests tick it.
 */
import type { FastifyBaseLogger } from 'fastify';
import { audit, SERVER_ACTOR } from '../audit/log.ts';
import type { AppStore as Store } from '../store/types.ts';

export interface TriageSweeper {
  start(): void;
  /** One sweep now; how many events it woke. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

const EVERY_MS = 15_000;
const BATCH = 100;

export function triageSweeper(deps: { store: Store; now: () => number; log: FastifyBaseLogger }): TriageSweeper {
  const { store, now, log } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;

  async function wake(): Promise<number> {
    const at = now();
    const woken = await store.transaction(async (tx) => {
      const due = await tx.triage.wakeSnoozed(at, BATCH);
      for (const e of due) {
        await tx.triage.record({ eventSeq: e.seq, kind: 'unsnoozed', by: { id: null, email: SERVER_ACTOR.email, name: '' }, at });
        const event = await tx.events.bySeq(e.seq);
        await audit(tx, e.projectId, SERVER_ACTOR, 'event.snoozed', event?.id ?? null, at, { until: null, eventName: event?.name ?? null, why: 'its snooze ended' });
        // Back, and pushed again (a pushed event only: a quiet one comes back quietly).
        if (e.notify && !e.test) await tx.push.enqueueEvent(e.seq, at);
        await tx.events.recordLive('update', e.seq, e.test, at);
      }
      return due;
    });
    if (woken.some((e) => e.notify && !e.test)) store.wakePush();
    return woken.length;
  }

  function tick(): Promise<number> {
    running ??= wake().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    start() {
      timer = setInterval(() => {
        tick().catch((err) => log.warn({ err: (err as Error).message }, 'waking snoozed events failed; trying again'));
      }, EVERY_MS);
      timer.unref();
    },
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * The clock's part of working an event together (§12): snoozed events whose time has come are
 * brought back — into the default view, pushed again, on the timeline — by whichever instance's sweep
 * clears their snooze first (one guarded UPDATE each). Every instance runs one (main.ts); tests tick it.
 */
import type { FastifyBaseLogger } from 'fastify';
import { ESCALATION_NOTICE } from '../../contract/push.ts';
import { audit, SERVER_ACTOR } from '../audit/log.ts';
import { readPolicy } from '../policy/policy.ts';
import type { AppStore as Store } from '../store/types.ts';

export interface TriageSweeper {
  start(): void;
  /** One sweep now; how many events it woke. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

const EVERY_MS = 15_000;
const BATCH = 100;
/** An event is escalated within this long after its time, or never (history is not paged). */
const ESCALATION_WINDOW_MS = 60 * 60_000;

export function triageSweeper(deps: { store: Store; now: () => number; log: FastifyBaseLogger }): TriageSweeper {
  const { store, now, log } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;

  /**
   * Escalation: each project's pushed events still open past its `afterMinutes` (and at most an hour
   * past it: turning escalation on does not page for history) are pushed once more to its admins or
   * everyone, `Unacknowledged: <name>`, by whichever instance marks them first.
   */
  async function escalate(at: number): Promise<number> {
    let count = 0;
    for (const project of await store.projects.all()) {
      const { escalation } = (await readPolicy(store, project.id)).doc;
      if (escalation.afterMinutes === 0) continue;
      const n = await store.transaction(async (tx) => {
        const seqs = await tx.triage.escalate(project.id, at - escalation.afterMinutes * 60_000, ESCALATION_WINDOW_MS, at, BATCH);
        if (seqs.length === 0) return 0;
        const people = (await tx.members.recipients(project.id)).filter((r) => escalation.to === 'everyone' || r.role === 'admin');
        for (const seq of seqs) {
          const event = await tx.events.bySeq(seq);
          for (const p of people) await tx.push.enqueueFor(p.user_id, seq, ESCALATION_NOTICE, at);
          await tx.triage.record({ eventSeq: seq, kind: 'escalated', by: { id: null, email: SERVER_ACTOR.email, name: '' }, at });
          await audit(tx, project.id, SERVER_ACTOR, 'event.escalated', event?.id ?? null, at, { eventName: event?.name ?? null, to: escalation.to, afterMinutes: escalation.afterMinutes });
          await tx.events.recordLive('update', seq, false, at);
        }
        return seqs.length;
      });
      count += n;
    }
    if (count > 0) store.wakePush();
    return count;
  }

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
    running ??= Promise.all([wake(), escalate(now())]).then(([a, b]) => a + b).finally(() => {
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

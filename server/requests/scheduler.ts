/**
 * Sends the presses that waited (§10) when they fall due, and ends the ones nobody approved in time.
 * Every instance runs one (started by main.ts): it sleeps until the next request falls due (this process's own ones wake
 * it at once) and looks again at least every `pollMs`, so a request made on an instance that died is
 * sent by another. A request is sent by whichever instance claims it first (a guarded UPDATE), with
 * the webhook id made when it was asked for; the send itself holds no transaction.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { PersonRef } from '../../contract/requests.ts';
import { frozenFor } from '../../contract/policy.ts';
import { audit } from '../audit/log.ts';
import { endedByServer, NOBODY_APPROVED } from './ended.ts';
import { readPolicy } from '../policy/policy.ts';
import { leaseUntil } from '../actions/press.ts';
import { type SendDeps, sendStartedPress } from '../actions/send.ts';
import type { StoredApproval } from '../store/requestRows.ts';

export interface SchedulerDeps extends SendDeps {
  leaseMarginMs?: number;
  /** The longest sleep between looks (a request made on another instance is found within it). */
  pollMs?: number;
}

export interface PressScheduler {
  /** Starts looking on its own (main.ts, once the server listens); before, only `tick` looks. */
  start(): void;
  /** A request was made or answered here: look now (once started). */
  wake(): void;
  /** Handles what is due now; resolves once the presses it sent have their outcomes (for tests and shutdown). */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

/** Requests handled per look (more are handled at the next, at once). */
const BATCH = 20;

export function pressScheduler(deps: SchedulerDeps, log: FastifyBaseLogger = deps.log): PressScheduler {
  const { store, now } = deps;
  const pollMs = deps.pollMs ?? 2_000;
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let started = false;
  let looking: Promise<number> | null = null;

  /** A request nobody answered: silence is never a yes. */
  async function expire(id: string, at: number) {
    await store.transaction(async (tx) => {
      const r = await tx.pressRequests.byId(id);
      if (!r || !(await tx.pressRequests.end(id, 'approval_expired', null, at, null))) return;
      await endedByServer(tx, r, 'action.request_expired', NOBODY_APPROVED, at);
    });
  }

  /**
   * A press frozen while it waited is not sent: the freeze is there to stop exactly that. It ends
   * cancelled, by whoever froze the presses.
   */
  async function frozenOut(id: string, at: number): Promise<boolean> {
    const r = await store.pressRequests.byId(id);
    if (r?.status !== 'scheduled' || !frozenFor(r.risk)) return false;
    const { frozen } = (await readPolicy(store, r.project_id)).doc;
    if (frozen === null) return false;
    await store.transaction(async (tx) => {
      if (!(await tx.pressRequests.end(id, 'cancelled', frozen.by, at, 'presses are frozen in this project'))) return;
      await endedByServer(tx, r, 'action.cancelled', `presses are frozen (by ${frozen.by.email})`, at);
    });
    return true;
  }

  /** Claims a scheduled request and sends it; false when another instance had it (or it was frozen out). */
  async function send(id: string): Promise<boolean> {
    const at = now();
    if (await frozenOut(id, at)) return false;
    const claimed = await store.transaction(async (tx) => {
      const c = await tx.pressRequests.claim(id, at, leaseUntil(deps, at));
      if (c.kind === 'taken') return null;
      const r = c.request;
      const event = await tx.events.bySeq(r.event_seq);
      if (!event) return null;
      const requester: PersonRef = { id: r.requested_by, email: r.requested_email };
      if (c.kind === 'expired') {
        await endedByServer(tx, r, 'action.request_expired', 'the action expired before it was sent', at);
        return null;
      }
      const approvedBy = (JSON.parse(r.approved_by) as StoredApproval[]).map(({ id, email }) => ({ id, email }));
      await tx.actions.recordAttempt({ id: r.webhook_id, eventSeq: r.event_seq, key: r.action_key, number: c.number, userId: requester.id, email: requester.email, startedAt: at, input: r.input });
      await audit(tx, r.project_id, requester, 'action.pressed', event.id, at, {
        action: r.action_key,
        buttonText: c.buttonText,
        attempt: c.number,
        eventName: event.name,
        request: id,
        approvedBy: approvedBy.map((a) => a.email),
      });
      await tx.events.recordLive('action', r.event_seq, event.test, at);
      return { claim: c, event, requester, approvedBy };
    });
    if (!claimed) return false;
    const r = claimed.claim.request;
    const project = await store.projects.byId(r.project_id);
    await sendStartedPress(deps, {
      seq: r.event_seq,
      event: claimed.event,
      key: r.action_key,
      started: claimed.claim,
      attemptId: r.webhook_id,
      pressedBy: claimed.requester,
      approvedBy: claimed.approvedBy,
      risk: r.risk,
      project: project ?? { id: r.project_id, slug: '', name: '' },
      pressedAt: Number(r.requested_at),
      sentAt: at,
      input: r.input,
    });
    return true;
  }

  /** Handles what is due: returns how many requests it looked at; `sent` collects the sends it started. */
  async function handleDue(sent: Promise<void>[]): Promise<number> {
    const at = now();
    const due = await store.pressRequests.due(at, BATCH);
    for (const r of due) {
      if (r.status === 'awaiting_approval') await expire(r.id, at);
      else {
        // Sent side by side: a slow receiver does not hold up the next press.
        const p = send(r.id).then(
          () => undefined,
          (err) => log.error({ err, request: r.id }, 'sending a scheduled press failed'),
        );
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        sent.push(p);
      }
    }
    return due.length;
  }

  function look(): Promise<number> {
    // One look at a time in this process.
    looking ??= handleDue([]).finally(() => {
      looking = null;
    });
    return looking;
  }

  async function loop() {
    timer = undefined;
    if (stopped) return;
    let wait = pollMs;
    try {
      const handled = await look();
      const next = await store.pressRequests.nextDue();
      // A full batch: more are due now.
      if (handled >= BATCH) wait = 0;
      else if (next !== null) wait = Math.max(25, Math.min(pollMs, next - now()));
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'looking for due press requests failed; trying again');
    }
    arm(wait);
  }

  function arm(ms: number) {
    if (stopped || !started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void loop(), ms);
    timer.unref();
  }

  return {
    start() {
      started = true;
      arm(0);
    },
    wake: () => arm(0),
    async tick() {
      const sent: Promise<void>[] = [];
      const n = await handleDue(sent);
      await Promise.all(sent);
      return n;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await looking?.catch(() => undefined);
      await Promise.all([...inFlight]);
    },
  };
}

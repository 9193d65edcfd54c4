/**
 * Pressing a webhook action (CONTRACT.md §2): the server decides whether it may run (atomically,
 * by its own clock), POSTs the signed webhook, records the attempt, and tells every open PWA.
 */
import { randomBytes } from 'node:crypto';
import { type ActionDto, type Me, pressRefusal, type TriggerResult } from '../../contract/api.ts';
import type { TriggerWaiting } from '../../contract/api.ts';
import { ApiError, badField } from '../http/errors.ts';
import { checkInput } from '../../contract/decisions.ts';
import type { Refusal } from '../store/records.ts';
import type { RequestProject } from '../http/access.ts';
import { audit } from '../audit/log.ts';
import { checkPress, type Presser, readPolicy } from '../policy/policy.ts';
import { requestPress } from '../requests/open.ts';
import { type SendDeps, sendStartedPress } from './send.ts';

export interface PressDeps extends SendDeps {
  /** PRESS_LEASE_MARGIN_MS: the lease outlasts the webhook's timeout by this much (default PRESS_LEASE_MARGIN_MS). */
  leaseMarginMs?: number;
  /** A press request was made here: the scheduler looks for what falls due (this process's clock). */
  wakeScheduler?: () => void;
}

const REFUSALS: Record<Refusal, ApiError> = {
  not_found: new ApiError(404, 'not_found', 'this event has no such action'),
  external: new ApiError(409, 'external_action', 'this action is a link; the server never calls it'),
  expired: new ApiError(410, 'expired', 'this action has expired'),
  running: new ApiError(409, 'already_running', 'this action is running now'),
  done: new ApiError(409, 'already_done', 'this action already succeeded'),
  awaiting_approval: new ApiError(409, 'awaiting_approval', 'a press of this action is waiting for approval'),
  scheduled: new ApiError(409, 'already_scheduled', 'a press of this action is scheduled to be sent: cancel it, or wait for it'),
  decided: new ApiError(409, 'decided', 'this question is already answered: another reply was chosen'),
};

/** A press's lease outlasts its webhook's timeout by this much (PRESS_LEASE_MARGIN_MS); then another instance may settle it. */
export const PRESS_LEASE_MARGIN_MS = 30_000;
/**
 * Settles the presses whose process died (lease run out; `all`: every running one, for a store only
 * this process can open, at its start) as failed `interrupted`, and tells every open app.
 */
export async function settleInterruptedPresses(deps: Pick<PressDeps, 'store' | 'now'>, all = false): Promise<number> {
  const { store, now } = deps;
  const at = now();
  // One instance sweeps at a time (the UPDATE would settle each press once anyway; this saves the work).
  const settled = await store.exclusive('settle-interrupted-presses', async (tx) => {
    const rows = await tx.actions.recoverInterrupted(at, all);
    // Every open app hears of it from the live log (the store announces the commit).
    for (const r of rows) await tx.events.recordLive('action', r.eventSeq, r.test, at);
    return rows.length;
  });
  return settled ?? 0;
}

/** The lease a started press holds: its webhook's timeout and a margin (then another instance may settle it). */
export const leaseUntil = (deps: Pick<PressDeps, 'timeoutMs' | 'leaseMarginMs'>, at: number) => at + deps.timeoutMs + (deps.leaseMarginMs ?? PRESS_LEASE_MARGIN_MS);

export function pressAction(deps: PressDeps) {
  const { store, now } = deps;

  /** An audited refusal (the Activity page shows it), then the error. */
  async function refused(project: RequestProject, user: Me, eventId: string, eventName: string | null, action: ActionDto, at: number, err: ApiError): Promise<never> {
    deps.metrics?.presses.inc({ outcome: 'refused' });
    await store.transaction((tx) =>
      audit(tx, project.id, user, 'action.refused', eventId, at, { action: action.key, buttonText: action.buttonText, eventName, why: err.message }),
    );
    throw err;
  }

  /**
   * `log`: the request's logger, so the press's lines carry its request id. A press the policy makes
   * wait (approvals, a delay) becomes a stored request and is answered at once (202).
   */
  return async function press(
    eventId: string,
    key: string,
    user: Me & Presser,
    project: RequestProject,
    log = deps.log,
    typed: string | null = null,
  ): Promise<TriggerResult | TriggerWaiting> {
    const found = await store.events.byId(eventId);
    if (!found || found.projectId !== project.id) throw new ApiError(404, 'not_found', 'no such event');
    const { event, seq } = found;
    // An action sent with "role": "admin" is for the project's admins (an action's role never changes).
    const pressed = event.actions.find((a) => a.key === key);
    if (pressed && pressRefusal(project.role, pressed) === 'admins_only') {
      throw new ApiError(403, 'forbidden', 'only admins of this project may press this action (role: admin)');
    }
    // The text typed in the confirm step (§11): required, not too long, and only where asked for.
    const checked = checkInput(pressed?.input ?? null, typed);
    if (!checked.ok) throw badField('input', checked.message);
    const { input } = checked;
    const pressedAt = now();

    /** A press that did not start: on the Activity page too (a press that did nothing is part of "did it work?"). */
    async function refusedPress(why: Refusal): Promise<never> {
      if (pressed && why !== 'not_found') await refused(project, user, event.id, event.name, pressed, pressedAt, REFUSALS[why]);
      deps.metrics?.presses.inc({ outcome: 'refused' });
      throw REFUSALS[why];
    }
    // The project's policy for the action's risk (§10): frozen, or proof of who you are first.
    if (pressed && !pressed.external) {
      const { doc } = await readPolicy(store, project.id);
      const refusal = checkPress(doc, pressed.risk, user, pressedAt);
      // A frozen press is a refusal (on the Activity page); a request for proof is not: it comes again.
      if (refusal?.code === 'frozen') await refused(project, user, event.id, event.name, pressed, pressedAt, refusal);
      if (refusal) throw refusal;
      const rule = doc[pressed.risk];
      if (rule.approvals > 0 || rule.delaySeconds > 0) {
        const waiting = await requestPress(store, { seq, event, action: pressed, rule, user, project, at: pressedAt, input });
        if (waiting.kind === 'refused') return refusedPress(waiting.why);
        deps.wakeScheduler?.();
        return waiting.answer;
      }
    }
    const attemptId = `msg_${randomBytes(16).toString('base64url')}`;

    const started = await store.transaction(async (tx) => {
      const s = await tx.actions.start(seq, key, pressedAt, leaseUntil(deps, pressedAt));
      if (s.kind === 'refused') return s;
      await tx.actions.recordAttempt({ id: attemptId, eventSeq: seq, key, number: s.number, userId: user.id, email: user.email, startedAt: pressedAt, input });
      await audit(tx, project.id, user, 'action.pressed', event.id, pressedAt, { action: key, buttonText: s.buttonText, attempt: s.number, eventName: event.name, ...(input === null ? {} : { input }) });
      // Every open app hears of each step from the live log (the store announces each commit).
      await tx.events.recordLive('action', seq, event.test, pressedAt);
      return s;
    });
    if (started.kind === 'refused') return refusedPress(started.why);


    const sent = await sendStartedPress(
      deps,
      {
        seq,
        event,
        key,
        started,
        attemptId,
        pressedBy: user,
        approvedBy: [],
        risk: pressed?.risk ?? 'low',
        project,
        pressedAt,
        sentAt: pressedAt,
        input,
      },
      log,
    );
    // A reply that lost to another answer made at the same moment (another device, another instance).
    if (sent.attempt.reason === 'decided') throw REFUSALS.decided;
    return { action: sent.action, attempt: sent.attempt, serverTime: new Date(sent.finishedAt).toISOString() };
  };
}

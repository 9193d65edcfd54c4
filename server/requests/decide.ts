/**
 * Answering a press that waits (§10): approve (m-of-n, counted on the server under the request's
 * lock, never by the requester, with the same step-up as a press), deny (with a reason), and cancel
 * (anyone who may press the action, while it waits). Each step is audited and reaches every open app
 * through the live log.
 */
import { type ActionDto, type EventDto, type Me, pressRefusal } from '../../contract/api.ts';
import type { DecisionAnswer } from '../../contract/api.ts';
import { type Actor, audit } from '../audit/log.ts';
import type { RequestProject } from '../http/access.ts';
import { ApiError } from '../http/errors.ts';
import { checkPress, type Presser, readPolicy } from '../policy/policy.ts';
import { endedByServer, NOBODY_APPROVED } from './ended.ts';
import type { PressRequestRow, AppStore as Store, StoreRepositories } from '../store/types.ts';

/** What an answer returns: the request and its action as they now stand. */
type DecisionResult = DecisionAnswer;

export interface DecideDeps {
  store: Store;
  now: () => number;
  /** The request's state changed here: the scheduler looks (a last yes may make it due at once). */
  wakeScheduler: () => void;
}

const notWaiting = (r: Pick<PressRequestRow, 'status'>) =>
  new ApiError(409, 'request_closed', `this request no longer waits for an answer (it is ${r.status.replace('_', ' ')})`);

/** The request's event and action, read inside the transaction. */
async function actionOf(tx: StoreRepositories, r: PressRequestRow): Promise<{ event: EventDto; action: ActionDto }> {
  const event = await tx.events.bySeq(r.event_seq);
  const action = event?.actions.find((a) => a.key === r.action_key);
  if (!event || !action) throw new ApiError(404, 'not_found', 'no such request');
  return { event, action };
}

/** An approver is someone who may press the action; the requester is not one. */
function mayAnswer(r: PressRequestRow, action: ActionDto, user: Me, project: RequestProject) {
  if (pressRefusal(project.role, action) !== null) {
    throw new ApiError(403, 'forbidden', 'only people who may press this action may answer its request (role: admin)');
  }
  if (r.requested_by === user.id) throw new ApiError(403, 'own_request', 'you asked for this press: someone else must approve or deny it');
}

export function decisions(deps: DecideDeps) {
  const { store, now } = deps;

  async function answered(seq: number, key: string, at: number): Promise<DecisionResult> {
    const event = await store.events.bySeq(seq);
    const action = event?.actions.find((a) => a.key === key);
    if (!action?.request) throw new ApiError(404, 'not_found', 'no such request');
    return { request: action.request, action, serverTime: new Date(at).toISOString() };
  }

  /**
   * The request, locked, with its event and action — or the refusal to answer it: it no longer waits
   * for approvals, or its time ran out just now (then it ends as expired, in this transaction, and every
   * open app hears of it).
   */
  async function lockWaiting(tx: StoreRepositories, id: string, at: number) {
    const r = await tx.pressRequests.lock(id);
    if (!r) throw new ApiError(404, 'not_found', 'no such request');
    const { event, action } = await actionOf(tx, r);
    if (r.status === 'awaiting_approval' && Number(r.expires_at) <= at) {
      await tx.pressRequests.end(id, 'approval_expired', null, at, null);
      await endedByServer(tx, r, 'action.request_expired', NOBODY_APPROVED, at);
      return { r, event, action, refusal: new ApiError(409, 'approval_expired', 'this request expired before it was approved: nobody answered in time') };
    }
    return { r, event, action, refusal: r.status === 'awaiting_approval' ? null : notWaiting(r) };
  }

  return {
    async approve(id: string, user: Me & Presser & Actor, project: RequestProject): Promise<DecisionResult> {
      const at = now();
      const doc = (await readPolicy(store, project.id)).doc;
      const r = await store.transaction(async (tx) => {
        const { r, event, action, refusal: closed } = await lockWaiting(tx, id, at);
        if (closed) return { refusal: closed, r };
        mayAnswer(r, action, user, project);
        // An approver meets the same rule as a presser: the freeze, and proof of who they are.
        const refusal = checkPress(doc, r.risk, user, at);
        if (refusal) throw refusal;
        const count = await tx.pressRequests.approve(id, user, at);
        if (count === null) throw new ApiError(409, 'already_approved', 'you have already approved this request');
        await audit(tx, project.id, user, 'action.approved', event.id, at, {
          action: r.action_key,
          buttonText: action.buttonText,
          eventName: event.name,
          request: id,
          approvals: count,
          needed: r.needed,
        });
        if (count >= r.needed) await tx.pressRequests.schedule(id, at + r.delay_seconds * 1000);
        await tx.events.recordLive('action', r.event_seq, event.test, at);
        return { refusal: null, r };
      });
      // Refused after the transaction: a request that expired just now stays ended.
      if (r.refusal) throw r.refusal;
      deps.wakeScheduler();
      return answered(r.r.event_seq, r.r.action_key, at);
    },

    async deny(id: string, user: Me & Actor, project: RequestProject, reason: string | null): Promise<DecisionResult> {
      const at = now();
      const r = await store.transaction(async (tx) => {
        const { r, event, action, refusal: closed } = await lockWaiting(tx, id, at);
        if (closed) return { refusal: closed, r };
        mayAnswer(r, action, user, project);
        await tx.pressRequests.end(id, 'denied', user, at, reason);
        await audit(tx, project.id, user, 'action.denied', event.id, at, { action: r.action_key, buttonText: action.buttonText, eventName: event.name, request: id, reason });
        await tx.events.recordLive('action', r.event_seq, event.test, at);
        return { refusal: null, r };
      });
      if (r.refusal) throw r.refusal;
      return answered(r.r.event_seq, r.r.action_key, at);
    },

    async cancel(eventId: string, key: string, user: Me & Actor, project: RequestProject): Promise<DecisionResult> {
      const at = now();
      const found = await store.events.byId(eventId);
      if (!found || found.projectId !== project.id) throw new ApiError(404, 'not_found', 'no such event');
      const action = found.event.actions.find((a) => a.key === key);
      if (!action) throw new ApiError(404, 'not_found', 'this event has no such action');
      if (pressRefusal(project.role, action) !== null) throw new ApiError(403, 'forbidden', 'only admins of this project may press this action (role: admin)');
      const request = action.request;
      if (!request) throw new ApiError(409, 'nothing_to_cancel', 'this action has no press waiting to be sent');
      const cancelled = await store.transaction(async (tx) => {
        if (!(await tx.pressRequests.end(request.id, 'cancelled', user, at, null))) return false;
        await audit(tx, project.id, user, 'action.cancelled', eventId, at, { action: key, buttonText: action.buttonText, eventName: found.event.name, request: request.id });
        await tx.events.recordLive('action', found.seq, found.event.test, at);
        return true;
      });
      if (!cancelled) {
        const now2 = await store.pressRequests.byId(request.id);
        throw new ApiError(
          409,
          'nothing_to_cancel',
          now2?.status === 'sent' ? 'too late: this press has already been sent' : `this press no longer waits (it is ${String(now2?.status ?? 'gone').replace('_', ' ')})`,
        );
      }
      return answered(found.seq, key, at);
    },
  };

}

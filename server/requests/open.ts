/**
 * A press the policy makes wait (§10) becomes a stored request: the action is held (`awaiting_approval`
 * or `scheduled`), the people who may approve it are asked by push, and the presser is answered at
 * once (202). The scheduler (./scheduler.ts) sends it when it falls due, on whichever instance.
 */
import { randomBytes } from 'node:crypto';
import { type ActionDto, type EventDto, type Me, pressRefusal } from '../../contract/api.ts';
import type { RiskRule } from '../../contract/policy.ts';
import { APPROVAL_NOTICE } from '../../contract/push.ts';
import { APPROVAL_WINDOW_MS } from '../../contract/requests.ts';
import type { TriggerWaiting } from '../../contract/api.ts';
import { audit } from '../audit/log.ts';
import type { RequestProject } from '../http/access.ts';
import type { Refusal } from '../store/records.ts';
import type { AppStore as Store, StoreRepositories } from '../store/types.ts';

export interface PressToRequest {
  seq: number;
  event: EventDto;
  action: ActionDto;
  rule: RiskRule;
  user: Me;
  project: RequestProject;
  at: number;
  /** What the presser typed (§11), kept with the request until it is sent. */
  input: string | null;
}

/** The push notice that asks an approver (contract/push.ts approvalPushPayload reads it back). */
const approvalNotice = (requestId: string) => `${APPROVAL_NOTICE}${requestId}`;

/** Who may approve: everyone who may press the action, except the person asking. */
async function approvers(tx: StoreRepositories, projectId: number, action: ActionDto, requester: string): Promise<string[]> {
  const people = await tx.members.recipients(projectId);
  return people.filter((p) => p.user_id !== requester && pressRefusal(p.role, action) === null).map((p) => p.user_id);
}

export async function requestPress(store: Store, p: PressToRequest): Promise<{ kind: 'waiting'; answer: TriggerWaiting } | { kind: 'refused'; why: Refusal }> {
  const { seq, event, action, rule, user, project, at } = p;
  const id = `req_${randomBytes(12).toString('base64url')}`;
  const needed = rule.approvals;
  // Silence is never a yes: unanswered, the request ends with the action or after an hour.
  const expiresAt = Math.min(Date.parse(action.expiresAt), at + APPROVAL_WINDOW_MS);
  const status = needed > 0 ? 'awaiting_approval' : 'scheduled';
  const runsAt = needed > 0 ? null : at + rule.delaySeconds * 1000;
  const opened = await store.transaction(async (tx) => {
    const o = await tx.pressRequests.open(
      {
        id,
        eventSeq: seq,
        key: action.key,
        projectId: project.id,
        status,
        risk: action.risk,
        needed,
        requestedBy: { id: user.id, email: user.email },
        requestedAt: at,
        expiresAt,
        delaySeconds: rule.delaySeconds,
        runsAt,
        // The webhook's id is made now: whichever instance sends the press, it sends this one.
        webhookId: `msg_${randomBytes(16).toString('base64url')}`,
        input: p.input,
      },
      at,
    );
    if (o.kind === 'refused') return o;
    await audit(tx, project.id, user, 'action.requested', event.id, at, {
      action: action.key,
      buttonText: action.buttonText,
      eventName: event.name,
      request: id,
      needed,
      delaySeconds: rule.delaySeconds,
    });
    if (needed > 0) for (const approver of await approvers(tx, project.id, action, user.id)) await tx.push.enqueueFor(approver, seq, approvalNotice(id), at);
    await tx.events.recordLive('action', seq, event.test, at);
    return o;
  });
  if (opened.kind === 'refused') return opened;
  if (needed > 0) store.wakePush();
  const request = { id, needed, expiresAt: new Date(expiresAt).toISOString() };
  const serverTime = new Date(at).toISOString();
  const held = (await store.events.bySeq(seq))?.actions.find((a) => a.key === action.key) ?? action;
  const answer: TriggerWaiting =
    runsAt === null
      ? { status: 'awaiting_approval', request, action: held, serverTime }
      : { status: 'scheduled', runsAt: new Date(runsAt).toISOString(), request, action: held, serverTime };
  return { kind: 'waiting', answer };
}

/**
 * Pressing a webhook action (CONTRACT.md §2): the server decides whether it may run (atomically,
 * by its own clock), POSTs the signed webhook, records the attempt, and tells every open PWA.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { type ActionDto, type Me, pressRefusal, type TriggerResult } from '../../contract/api.ts';
import { ApiError } from '../http/errors.ts';
import type { Refusal } from '../store/records.ts';
import type { AppStore as Store } from '../store/types.ts';
import { VERSION } from '../version.ts';
import { forbiddenReason } from './destination.ts';
import { webhookSecret } from './secret.ts';
import type { RequestProject } from '../http/access.ts';
import { audit } from '../audit/log.ts';
import { sendWebhook, type WebhookResult } from './webhook.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { retryWhileUnavailable, STORE_RETRY_AFTER_S } from '../store/unavailable.ts';
import { checkPress, type Presser, readPolicy } from '../policy/policy.ts';

export interface PressDeps {
  store: Store;
  now: () => number;
  timeoutMs: number;
  /** PRESS_LEASE_MARGIN_MS: the lease outlasts the webhook's timeout by this much (default PRESS_LEASE_MARGIN_MS). */
  leaseMarginMs?: number;
  allowPrivate: boolean;
  /** WEBHOOK_KEEP_PRIVATE_RESPONSES: store answer excerpts from private addresses too. */
  keepPrivateResponses: boolean;
  log: FastifyBaseLogger;
  metrics?: Metrics;
}

const REFUSALS: Record<Refusal, ApiError> = {
  not_found: new ApiError(404, 'not_found', 'this event has no such action'),
  external: new ApiError(409, 'external_action', 'this action is a link; the server never calls it'),
  expired: new ApiError(410, 'expired', 'this action has expired'),
  running: new ApiError(409, 'already_running', 'this action is running now'),
  done: new ApiError(409, 'already_done', 'this action already succeeded'),
};

/** A press's lease outlasts its webhook's timeout by this much (PRESS_LEASE_MARGIN_MS); then another instance may settle it. */
export const PRESS_LEASE_MARGIN_MS = 30_000;
/** How long a presser waits for an outcome to be recorded while the database is away, before a 503. */
export const SETTLE_WAIT_MS = 10_000;

/** `promise`, or — when it takes longer than `ms` — the error `late()` makes (the promise runs on). */
async function waitAtMost<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

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

  /** `log`: the request's logger, so the press's lines carry its request id. */
  return async function press(eventId: string, key: string, user: Me & Presser, project: RequestProject, log = deps.log): Promise<TriggerResult> {
    const found = await store.events.byId(eventId);
    if (!found || found.projectId !== project.id) throw new ApiError(404, 'not_found', 'no such event');
    const { event, seq } = found;
    // An action sent with "role": "admin" is for the project's admins (an action's role never changes).
    const pressed = event.actions.find((a) => a.key === key);
    if (pressed && pressRefusal(project.role, pressed) === 'Admins only') {
      throw new ApiError(403, 'forbidden', 'only admins of this project may press this action (role: admin)');
    }
    const pressedAt = now();
    // The project's policy for the action's risk (§10): frozen, or proof of who you are first.
    if (pressed && !pressed.external) {
      const refusal = checkPress((await readPolicy(store, project.id)).doc, pressed.risk, user, pressedAt);
      // A frozen press is a refusal (on the Activity page); a request for proof is not: it comes again.
      if (refusal?.code === 'frozen') await refused(project, user, event.id, event.name, pressed, pressedAt, refusal);
      if (refusal) throw refusal;
    }
    const attemptId = `msg_${randomBytes(16).toString('base64url')}`;

    const started = await store.transaction(async (tx) => {
      const s = await tx.actions.start(seq, key, pressedAt, pressedAt + deps.timeoutMs + (deps.leaseMarginMs ?? PRESS_LEASE_MARGIN_MS));
      if (s.kind === 'refused') return s;
      await tx.actions.recordAttempt({ id: attemptId, eventSeq: seq, key, number: s.number, userId: user.id, email: user.email, startedAt: pressedAt });
      await audit(tx, project.id, user, 'action.pressed', event.id, pressedAt, { action: key, buttonText: s.buttonText, attempt: s.number, eventName: event.name });
      // Every open app hears of each step from the live log (the store announces each commit).
      await tx.events.recordLive('action', seq, event.test, pressedAt);
      return s;
    });
    if (started.kind === 'refused') {
      // On the Activity page too: a press that did nothing is part of "did it work?".
      if (pressed && started.why !== 'not_found') await refused(project, user, event.id, event.name, pressed, pressedAt, REFUSALS[started.why]);
      deps.metrics?.presses.inc({ outcome: 'refused' });
      throw REFUSALS[started.why];
    }

    const body = JSON.stringify({
      event: {
        id: event.id,
        name: event.name,
        category: event.category,
        userId: event.userId,
        contextId: event.contextId,
        createdAt: event.createdAt,
        key,
        meta: started.meta,
      },
      action: { key, buttonText: started.buttonText, meta: started.meta, attempt: started.number },
      pressedBy: { id: user.id, email: user.email },
      risk: pressed?.risk ?? 'low',
      approvedBy: [],
      project: { slug: project.slug, name: project.name },
      pressedAt: new Date(pressedAt).toISOString(),
    });

    let result: WebhookResult;
    try {
      result = await sendWebhook({
        url: started.url,
        body,
        webhookId: attemptId,
        timestamp: new Date(pressedAt),
        secret: await webhookSecret(store, project.id),
        timeoutMs: deps.timeoutMs,
        allowPrivate: deps.allowPrivate,
        userAgent: `Switchboard/${VERSION}`,
      });
    } catch (err) {
      // sendWebhook does not throw; if it ever does, the action must not stay `running`.
      log.error({ err }, 'webhook sender failed');
      result = { ok: false, status: null, reason: 'connection_error', durationMs: now() - pressedAt, responseExcerpt: '', remoteAddress: null };
    }

    // Every signed-in person reads the attempts: an internal host's answer (WEBHOOK_ALLOW_PRIVATE)
    // is not theirs to read unless the operator says so. Judged on the address actually connected to.
    if (!deps.keepPrivateResponses && result.remoteAddress !== null && forbiddenReason(result.remoteAddress) !== null) {
      result = { ...result, responseExcerpt: '' };
    }

    const finishedAt = now();
    // The receiver has answered: that outcome must be recorded, or a press that ran would later be
    // settled as interrupted and could be sent again. While the database is away it is retried.
    // 0.25 s between tries, doubling, at most 5 s; a process that stops meanwhile leaves the press to
    // the sweep (settled `interrupted` once its lease runs out).
    const settled = retryWhileUnavailable(
      () =>
        store.transaction(async (tx) => {
          const attempt = await tx.actions.finish(attemptId, seq, key, result, finishedAt);
          // It ran: the devices that got the event's push get a notice in its place, without buttons.
          if (attempt.outcome === 'succeeded') await tx.push.enqueueNotice(seq, `action:${key}`, finishedAt);
          await tx.events.recordLive('action', seq, event.test, finishedAt);
          return attempt;
        }),
      {
        firstMs: 250,
        maxMs: 5_000,
        onRetry: (err, attempt) => log.warn({ err: err.message, eventId, action: key, attempt }, 'recording a press outcome failed: the database is away; trying again'),
      },
    );
    const attempt = await waitAtMost(settled, SETTLE_WAIT_MS, () => {
      // The presser hears what happened; every open app hears the rest when it is recorded.
      void settled.catch((err) => log.error({ err }, 'recording a late press outcome failed'));
      return new ApiError(
        503,
        'store_unavailable',
        `the receiver answered (${result.ok ? `HTTP ${result.status}: it ran` : result.reason}), but the database cannot be reached right now: the outcome is recorded as soon as it is back`,
        null,
        { 'retry-after': String(STORE_RETRY_AFTER_S) },
      );
    });
    if (attempt.outcome === 'succeeded') store.wakePush();
    const current = await store.events.bySeq(seq);
    const outcome = attempt.outcome === 'succeeded' ? 'succeeded' : 'failed';
    deps.metrics?.presses.inc({ outcome });
    deps.metrics?.webhookDuration.observe({ outcome }, result.durationMs / 1000);
    log.info(
      {
        eventId,
        action: key,
        attempt: attempt.number,
        outcome: attempt.outcome,
        status: attempt.status,
        reason: attempt.reason,
        durationMs: attempt.durationMs,
        host: new URL(started.url).host,
      },
      'action pressed',
    );
    const action = current?.actions.find((a) => a.key === key) as ActionDto;
    return { action, attempt, serverTime: new Date(finishedAt).toISOString() };
  };
}

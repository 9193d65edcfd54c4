/**
 * Sending a press that has started (its action is `running` under a lease): the signed webhook, its
 * outcome recorded whatever the database does meanwhile, and every open app told. One path for a press
 * that runs at once (./press.ts) and one that waited for approvals or its delay (../requests/scheduler.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ActionDto, AttemptDto, EventDto } from '../../contract/api.ts';
import type { Risk } from '../../contract/policy.ts';
import { isWaiting, type PersonRef } from '../../contract/requests.ts';
import { audit } from '../audit/log.ts';
import { changeState } from '../triage/stateChange.ts';
import { ApiError } from '../http/errors.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { AttemptFinish, ProjectRow, StartedAttempt } from '../store/records.ts';
import type { AppStore as Store, StoreRepositories } from '../store/types.ts';
import { retryWhileUnavailable, STORE_RETRY_AFTER_S } from '../store/unavailable.ts';
import { VERSION } from '../version.ts';
import { forbiddenReason } from './destination.ts';
import { webhookSecret } from './secret.ts';
import { sendWebhook, type WebhookResult } from './webhook.ts';

export interface SendDeps {
  store: Store;
  now: () => number;
  timeoutMs: number;
  allowPrivate: boolean;
  /** WEBHOOK_KEEP_PRIVATE_RESPONSES: store answer excerpts from private addresses too. */
  keepPrivateResponses: boolean;
  log: FastifyBaseLogger;
  metrics?: Metrics;
  /** A decision was recorded here with a replyUrl: this process's reply sender looks now (others look on their own). */
  wakeReplies?: () => void;
}

/** A started press, ready to send. */
export interface StartedPress {
  seq: number;
  event: EventDto;
  key: string;
  started: StartedAttempt;
  /** The webhook's id (`webhook-id`), which is also the attempt's. */
  attemptId: string;
  pressedBy: PersonRef;
  approvedBy: PersonRef[];
  risk: Risk;
  project: Pick<ProjectRow, 'slug' | 'name' | 'id'>;
  /** When the person pressed (a press that waited is sent later: the signature carries the send time). */
  pressedAt: number;
  sentAt: number;
  /** What the presser typed in the confirm step (§11). */
  input: string | null;
}

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

/** The signed body the receiver gets. */
function webhookBody(p: StartedPress): string {
  const { event, key, started } = p;
  return JSON.stringify({
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
    pressedBy: { id: p.pressedBy.id, email: p.pressedBy.email },
    risk: p.risk,
    approvedBy: p.approvedBy.map((a) => ({ id: a.id, email: a.email })),
    project: { slug: p.project.slug, name: p.project.name },
    pressedAt: new Date(p.pressedAt).toISOString(),
    input: p.input,
  });
}

/**
 * An action sent with `"resolves": true` (§12) resolves its event — a thread's first event when it
 * is in one — when it succeeds: on the timeline, audited, its push replaced. In the settling transaction.
 */
async function resolveByAction(tx: StoreRepositories, p: StartedPress, at: number) {
  if (!p.event.actions.find((a) => a.key === p.key)?.resolves) return;
  const opener = p.event.parentId === null ? { seq: p.seq, id: p.event.id } : await tx.events.byId(p.event.parentId).then((f) => (f ? { seq: f.seq, id: f.event.id } : null));
  if (!opener) return;
  const person = await tx.users.byId(p.pressedBy.id);
  await changeState(tx, {
    seq: opener.seq,
    event: { id: opener.id, name: p.event.name, test: p.event.test },
    projectId: p.project.id,
    change: 'resolve',
    by: { id: p.pressedBy.id, email: p.pressedBy.email, name: person?.name ?? '' },
    actor: p.pressedBy,
    at,
    audit: { kind: 'event.resolved', detail: { action: p.key } },
    notice: null,
    // The press records the event's own live entry.
    live: opener.seq !== p.seq,
  });
}

/** A reply's answer is recorded, not sent: the attempt succeeds at once, or fails `decided` when another answer came first. */
const ANSWERED: AttemptFinish = { ok: true, status: null, reason: null, durationMs: 0, responseExcerpt: '' };
const NOT_CHOSEN: AttemptFinish = { ...ANSWERED, ok: false, reason: 'decided' };

/**
 * A reply action's press (§11): the answer decides the event's question if none has yet (one guarded
 * UPDATE on the event's row), in one transaction with its attempt, its audit entry and its reply
 * POST's outbox row. No URL is called.
 */
async function recordAnswer(deps: SendDeps, p: StartedPress): Promise<{ action: ActionDto; attempt: AttemptDto; finishedAt: number }> {
  const { store, now } = deps;
  const { seq, key, event } = p;
  const at = now();
  const attempt = await store.transaction(async (tx) => {
    const person = await tx.users.byId(p.pressedBy.id);
    const by = { id: p.pressedBy.id, email: p.pressedBy.email, name: person?.name ?? '' };
    const decided = await tx.events.decide(seq, { key, input: p.input, by, at });
    const done = await tx.actions.finish(p.attemptId, seq, key, decided ? ANSWERED : NOT_CHOSEN, at);
    if (decided) {
      await audit(tx, p.project.id, p.pressedBy, 'action.answered', event.id, at, { action: key, buttonText: p.started.buttonText, input: p.input, eventName: event.name });
      await tx.push.enqueueNotice(seq, `action:${key}`, at);
      await resolveByAction(tx, p, at);
      if (event.replyUrl !== null) await tx.replies.enqueue(seq, p.project.id, at);
      // The other options' presses that still wait (approvals, a delay) are moot now: they end unsent.
      const why = `another answer was chosen: ${p.started.buttonText}`;
      for (const other of (await tx.events.bySeq(seq))?.actions ?? []) {
        if (other.key !== key && other.reply && other.request && isWaiting(other.request.status)) await tx.pressRequests.end(other.request.id, 'cancelled', p.pressedBy, at, why);
      }
    }
    await tx.events.recordLive('action', seq, event.test, at);
    return done;
  });
  if (attempt.outcome === 'succeeded') {
    store.wakePush();
    if (event.replyUrl !== null) deps.wakeReplies?.();
  }
  deps.metrics?.presses.inc({ outcome: attempt.outcome === 'succeeded' ? 'succeeded' : 'failed' });
  const action = (await store.events.bySeq(seq))?.actions.find((a) => a.key === key) as ActionDto;
  return { action, attempt, finishedAt: at };
}

/** Sends the webhook and records its outcome; the action as it then stands, and the attempt. */
export async function sendStartedPress(deps: SendDeps, p: StartedPress, log = deps.log): Promise<{ action: ActionDto; attempt: AttemptDto; finishedAt: number }> {
  if (p.started.reply) return recordAnswer(deps, p);
  const { store, now } = deps;
  const { seq, key, attemptId, event } = p;
  let result: WebhookResult;
  try {
    result = await sendWebhook({
      url: p.started.url,
      body: webhookBody(p),
      webhookId: attemptId,
      timestamp: new Date(p.sentAt),
      secret: await webhookSecret(store, p.project.id),
      timeoutMs: deps.timeoutMs,
      allowPrivate: deps.allowPrivate,
      userAgent: `Switchboard/${VERSION}`,
    });
  } catch (err) {
    // sendWebhook does not throw; if it ever does, the action must not stay `running`.
    log.error({ err }, 'webhook sender failed');
    result = { ok: false, status: null, reason: 'connection_error', durationMs: now() - p.sentAt, responseExcerpt: '', remoteAddress: null };
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
        if (attempt.outcome === 'succeeded') {
          await tx.push.enqueueNotice(seq, `action:${key}`, finishedAt);
          await resolveByAction(tx, p, finishedAt);
        }
        await tx.events.recordLive('action', seq, event.test, finishedAt);
        return attempt;
      }),
    {
      firstMs: 250,
      maxMs: 5_000,
      onRetry: (err, attempt) => log.warn({ err: err.message, eventId: event.id, action: key, attempt }, 'recording a press outcome failed: the database is away; trying again'),
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
      eventId: event.id,
      action: key,
      attempt: attempt.number,
      outcome: attempt.outcome,
      status: attempt.status,
      reason: attempt.reason,
      durationMs: attempt.durationMs,
      host: new URL(p.started.url).host,
    },
    'action pressed',
  );
  const action = current?.actions.find((a) => a.key === key) as ActionDto;
  return { action, attempt, finishedAt };
}

/**
 * Sends each decision to its event's replyUrl (§11): POSTed once the question is decided or expired,
 * signed like a press (Standard Webhooks, the project's secret), and tried again with backoff — 10 s,
 * doubling, at most an hour apart — until a 2xx comes back or a day has passed. Every instance runs
 * one; a delivery is claimed under a lease, so two never send the same try.
 */
import type { FastifyBaseLogger } from 'fastify';
import { type DecisionDto, decisionOf } from '../../contract/decisions.ts';
import { forbiddenReason } from '../actions/destination.ts';
import { webhookSecret } from '../actions/secret.ts';
import { sendWebhook } from '../actions/webhook.ts';
import type { AppStore as Store } from '../store/types.ts';
import { VERSION } from '../version.ts';

export interface ReplySenderDeps {
  store: Store;
  now: () => number;
  timeoutMs: number;
  allowPrivate: boolean;
  log: FastifyBaseLogger;
  /** The longest sleep between looks (a decision recorded on another instance is sent within it). */
  pollMs?: number;
}

/** The first retry comes this long after a failed try; each next one twice as long, at most RETRY_MAX_MS. */
export const RETRY_FIRST_MS = 10_000;
export const RETRY_MAX_MS = 60 * 60_000;
/** Tries stop this long after the decision was queued. */
export const DELIVERY_WINDOW_MS = 24 * 60 * 60_000;
const BATCH = 20;

/** When the try after `attempts` failed tries comes (null: the day is over, it gives up). */
export function nextTry(attempts: number, createdAt: number, at: number): number | null {
  const next = at + Math.min(RETRY_FIRST_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
  return next > createdAt + DELIVERY_WINDOW_MS ? null : next;
}

/** The body POSTed: the decision as the read route answers it, the event it answers, and the project. */
export interface ReplyBody {
  type: 'decision';
  decision: DecisionDto;
  event: { id: string; name: string | null; category: string | null; userId: string | null; contextId: string | null; createdAt: string };
  project: { slug: string; name: string };
}

export interface ReplySender {
  start(): void;
  wake(): void;
  /** Queues expired questions and sends what is due; how many it tried (for tests). */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

export function replySender(deps: ReplySenderDeps): ReplySender {
  const { store, now, log } = deps;
  const pollMs = deps.pollMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopped = false;
  let looking: Promise<number> | null = null;

  async function deliver(eventSeq: number): Promise<boolean> {
    const at = now();
    const row = await store.replies.claim(eventSeq, at, at + deps.timeoutMs + 30_000);
    if (!row) return false;
    const event = await store.events.bySeq(eventSeq);
    const project = await store.projects.byId(Number(row.project_id));
    if (!event?.replyUrl || !project) {
      await store.replies.finish(eventSeq, { ok: false, status: null, reason: 'event_gone', durationMs: 0 }, at, null);
      return true;
    }
    const body: ReplyBody = {
      type: 'decision',
      decision: decisionOf(event, at),
      event: { id: event.id, name: event.name, category: event.category, userId: event.userId, contextId: event.contextId, createdAt: event.createdAt },
      project: { slug: project.slug, name: project.name },
    };
    const result = await sendWebhook({
      url: event.replyUrl,
      body: JSON.stringify(body),
      webhookId: row.webhook_id,
      timestamp: new Date(at),
      secret: await webhookSecret(store, project.id),
      timeoutMs: deps.timeoutMs,
      allowPrivate: deps.allowPrivate,
      userAgent: `Switchboard/${VERSION}`,
    });
    // Any 2xx is delivered (a press's receiver must answer 200 or 201; a reply's only has to take it).
    const ok = result.ok || (result.status !== null && result.status >= 200 && result.status < 300);
    const finishedAt = now();
    const next = ok ? null : nextTry(row.attempts + 1, Number(row.created_at), finishedAt);
    await store.replies.finish(eventSeq, { ok, status: result.status, reason: ok ? null : result.reason, durationMs: result.durationMs }, finishedAt, next);
    const host = new URL(event.replyUrl).host;
    const detail = { eventId: event.id, host, status: result.status, reason: result.reason, attempt: row.attempts + 1 };
    if (ok) log.info(detail, 'decision delivered to its replyUrl');
    else if (next === null) log.warn(detail, 'gave up delivering a decision to its replyUrl after a day of tries');
    else log.warn({ ...detail, nextAt: new Date(next).toISOString(), private: result.remoteAddress !== null && forbiddenReason(result.remoteAddress) !== null }, 'delivering a decision failed; trying again later');
    return true;
  }

  async function look(): Promise<number> {
    const at = now();
    await store.replies.enqueueExpired(at, BATCH);
    const due = await store.replies.due(at, BATCH);
    const failed = (err: unknown) => {
      log.error({ err }, 'delivering a decision failed');
      return false;
    };
    const tried = await Promise.all(due.map((seq) => deliver(seq).catch(failed)));
    return tried.filter(Boolean).length;
  }

  function once(): Promise<number> {
    looking ??= look().finally(() => {
      looking = null;
    });
    return looking;
  }

  function arm(ms: number) {
    if (stopped || !started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      once().then(
        (n) => arm(n >= BATCH ? 0 : pollMs),
        (err) => {
          log.warn({ err: (err as Error).message }, 'looking for decisions to deliver failed; trying again');
          arm(pollMs);
        },
      );
    }, ms);
    timer.unref();
  }

  return {
    start() {
      started = true;
      arm(0);
    },
    wake: () => arm(0),
    tick: () => once(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await looking?.catch(() => undefined);
    },
  };
}

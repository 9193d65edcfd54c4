/**
 * The push worker: drains the outbox that ingest writes with each event. Everything it has to do is
 * in SQLite, so it may stop at any moment (crash, restart) and pick up where it was on the next start.
 *
 * Each pass: expand new outbox rows into one delivery per device, claim the due deliveries (up to the
 * free concurrency slots) and send them. It runs on a timer (so retries and leftovers from a previous
 * run go out), when kicked (store.wakePush(), right after an ingest commit), and when a send finishes.
 */
import { createHash } from 'node:crypto';
import { ackPath, withDeclarative } from '../../contract/push.ts';
import { isLocale } from '../../contract/locales.ts';
import { pushSay } from '../i18n/push.ts';
import { APPROVAL_NOTICE, approvalPushPayload, ESCALATION_NOTICE, escalationPushPayload, eventPushPayload, MENTION_NOTICE, mentionPushPayload, noticePushPayload, type PushPayload, pushActions, testPushPayload } from '../../contract/push.ts';
import type { DueDelivery } from '../store/records.ts';
import { quietUntil } from '../../contract/quietHours.ts';
import type { AppStore as Store } from '../store/types.ts';
import { visibleProjects } from '../projects/visible.ts';
import { endpointHost } from './endpoint.ts';
import { type SendOutcome, sendPush } from './send.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { VapidKeys } from './vapid.ts';

/** The subset of Fastify's (pino) logger the worker uses. */
export interface PushLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PushWorkerOptions {
  store: Store;
  log: PushLog;
  vapid: VapidKeys;
  now?: () => number;
  /** How often to look for due deliveries without being kicked. */
  pollMs?: number;
  /** Sends in flight at once. */
  concurrency?: number;
  /** One request to a push service, answer included. */
  timeoutMs?: number;
  /** Sends of one message before giving up. */
  maxAttempts?: number;
  /** Wait before retry number `attempt` (1 = the first retry), before any Retry-After. */
  backoffMs?: (attempt: number) => number;
  metrics?: Metrics;
  /** The app's origin (PUBLIC_URL's): a payload's Declarative Web Push form links there. */
  origin?: string;
}

export interface PushWorker {
  /** Look for work now (after something was queued) instead of at the next poll. */
  kick(): void;
  /** Stops taking work and waits for the sends in flight to finish. */
  stop(): Promise<void>;
}

/** A message older than this is dropped: a notification a day late is noise. Also the TTL sent. */
const MAX_AGE_SECONDS = 24 * 60 * 60;
const OUTBOX_BATCH = 500;

/** 5 s, 10 s, 20 s … capped at 1 h: a flapping push service is not hammered, a blip costs seconds. */
export const defaultBackoff = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 60 * 60 * 1000);

export function startPushWorker(options: PushWorkerOptions): PushWorker {
  const { store, log, vapid } = options;
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 1_000;
  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const backoffMs = options.backoffMs ?? defaultBackoff;
  // A claimed delivery is not claimed again until this passes: longer than any send can take, so
  // only a send lost with its process (a crash) is ever retried this way.
  const leaseMs = timeoutMs + 30_000;

  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let kickQueued = false;

  // An event's project never changes: it is looked up once per event, not once per device. The event
  // itself (its actions' states) and the project (its name) are read for each delivery.
  const projectOfEvent = new Map<number, number>();
  const RECENT_EVENTS = 64;

  async function projectIdOf(seq: number, eventId: string): Promise<number | null> {
    const known = projectOfEvent.get(seq);
    if (known !== undefined) return known;
    const projectId = await store.events.projectIdOf(eventId);
    if (projectId === null) return null;
    projectOfEvent.set(seq, projectId);
    if (projectOfEvent.size > RECENT_EVENTS) projectOfEvent.delete(projectOfEvent.keys().next().value!);
    return projectId;
  }

  /**
   * The payload for this device's person, or null when they must not get it: no longer a member of
   * the event's project (read now, so a removal stops the pushes at once), pushes off for it, or the
   * category muted. Someone in several projects is told which one.
   */
  async function payloadFor(d: DueDelivery): Promise<PushPayload | null> {
    // Its fixed words in the language the device's app shows.
    const say = pushSay(isLocale(d.locale) ? d.locale : undefined);
    if (d.kind === 'test') return testPushPayload(say, d.created_at);
    if (d.event_seq === null) return null;
    // Read as it stands now: the buttons offer what can still run (a retry a minute later too).
    const event = await store.events.bySeq(d.event_seq);
    const projectId = event ? await projectIdOf(d.event_seq, event.id) : null;
    const project = projectId === null ? undefined : await store.projects.byId(projectId);
    if (!event || !project) return null;
    const recipient = (await store.members.recipients(project.id)).find((r) => r.user_id === d.user_id);
    if (!recipient?.enabled) return null;
    const user = await store.users.byId(d.user_id);
    const projects = user ? (await visibleProjects(store, user)).length : 0;
    const named = { slug: project.slug, name: projects > 1 ? project.name : null };
    // An approval asked of this person comes whatever categories they muted: it waits for them.
    if (d.notice?.startsWith(APPROVAL_NOTICE)) return approvalPushPayload(say, event, d.notice.slice(APPROVAL_NOTICE.length), named);
    // An escalation reaches its people whatever categories they muted: nobody else has answered it.
    if (d.notice === ESCALATION_NOTICE) return escalationPushPayload(say, event, named);
    // A mention is for this person, whatever categories they muted (their choice for the project holds).
    if (d.notice?.startsWith(MENTION_NOTICE)) return mentionPushPayload(say, event, await store.triage.entry(d.notice.slice(MENTION_NOTICE.length)), named);
    if (event.category !== null && recipient.muted.includes(event.category)) return null;
    if (d.notice !== null) return noticePushPayload(say, event, d.notice, named);
    // An open event offers `Acknowledge` to whoever may change it (§12): not a press, it runs nothing.
    const ack = event.state === 'open' && event.parentId === null && recipient.role !== 'viewer' ? ackPath(project.slug, event.id) : null;
    return eventPushPayload(say, event, named, pushActions(event, recipient.role, now()), ack);
  }

  /**
   * Counts a settled message for /metrics and an event's for its project's insights (the delivery row
   * itself is deleted once settled). Called after the settlement's log line: the line says what
   * happened at once, the count is bookkeeping that waits on the store.
   */
  async function counted(d: DueDelivery, outcome: 'sent' | 'failed'): Promise<void> {
    options.metrics?.pushes.inc({ outcome });
    // An event's insights count its pushes, not the notices that replaced them.
    if (d.kind !== 'event' || d.event_seq === null || d.notice !== null) return;
    await store.insights.countPush(d.event_seq, outcome, now()).catch((err: unknown) => log.warn({ err, delivery: d.id }, 'counting a push failed'));
  }

  /** Acts on the push service's answer. Only the host is logged: the endpoint's path is a secret. */
  async function settle(d: DueDelivery, outcome: SendOutcome, at: number): Promise<void> {
    const ctx = { host: endpointHost(d.endpoint), delivery: d.id, kind: d.kind, attempt: d.attempts + 1 };
    if (outcome.kind === 'status' && outcome.status >= 200 && outcome.status < 300) {
      // This device got the event: a notice (an action ran, it was handled) will replace it there.
      if (d.kind === 'event' && d.event_seq !== null && d.notice === null) await store.push.markSent(d.event_seq, d.subscription_id, at);
      await store.push.finish(d.id);
      await counted(d, 'sent');
      return;
    }
    if (outcome.kind === 'status' && (outcome.status === 404 || outcome.status === 410)) {
      // The browser dropped this subscription (unsubscribed, data cleared, expired): forget the device.
      await store.push.removeSubscription(d.subscription_id);
      log.info({ ...ctx, status: outcome.status }, 'push subscription is gone; device removed');
      await counted(d, 'failed');
      return;
    }
    const status = outcome.kind === 'status' ? outcome.status : null;
    const retryable = outcome.kind === 'network' || (status !== null && (status === 429 || status >= 500));
    if (!retryable) {
      // 400/401/403/413 and the rest: sending it again cannot help (401/403: usually the VAPID JWT).
      await store.push.finish(d.id);
      const detail = outcome.kind === 'status' ? { status: outcome.status, reason: outcome.reason } : { reason: outcome.reason };
      log.warn({ ...ctx, ...detail }, 'push refused; giving up on this message');
      await counted(d, 'failed');
      return;
    }
    const attempts = d.attempts + 1;
    const retryAfter = outcome.kind === 'status' ? outcome.retryAfterMs : null;
    const next = at + Math.max(backoffMs(attempts), retryAfter ?? 0);
    const detail = outcome.kind === 'status' ? { status: outcome.status } : { reason: outcome.reason };
    if (attempts >= maxAttempts || next - d.created_at > MAX_AGE_SECONDS * 1000) {
      await store.push.finish(d.id);
      log.warn({ ...ctx, ...detail }, 'push failed too often; giving up on this message');
      await counted(d, 'failed');
      return;
    }
    options.metrics?.pushes.inc({ outcome: 'retried' });
    await store.push.retryLater(d.id, attempts, next);
  }

  /** 32 URL-safe base64 characters that name one delivery (a message to one device). */
  const deliveryTopic = (id: number | string) => createHash('sha256').update(`switchboard-delivery:${id}`).digest('base64url').slice(0, 32);

  async function deliver(d: DueDelivery): Promise<void> {
    const started = now();
    const ageSeconds = Math.floor((started - d.created_at) / 1000);
    const built = await payloadFor(d);
    const payload = built === null || options.origin === undefined ? built : withDeclarative(built, options.origin);
    // Quiet hours (§12): held until they end, unless it must reach the person now.
    if (payload !== null && payload.kind !== 'test' && !payload.urgent && d.user_id !== null) {
      const hours = await store.quietHours.get(d.user_id);
      const until = hours === null ? null : quietUntil(hours, started);
      if (until !== null) {
        await store.push.retryLater(d.id, d.attempts, until);
        return;
      }
    }
    if (payload === null || ageSeconds >= MAX_AGE_SECONDS) {
      await store.push.finish(d.id); // the event is gone, not for this person, or the message is stale
      if (payload !== null) await counted(d, 'failed'); // a day late: given up on
      return;
    }
    const outcome = await sendPush(
      d,
      JSON.stringify(payload),
      // The TTL counts from when the message was queued, so a retry does not outlive its day.
      // The topic names this delivery: sent again after a stop, it replaces the first at the push service.
      { vapid, ttlSeconds: MAX_AGE_SECONDS - Math.max(0, ageSeconds), urgency: 'high', timeoutMs, topic: deliveryTopic(d.id) },
      started,
    );
    await settle(d, outcome, now());
  }

  // One pass at a time (its reads and claims are awaited): a pass asked for meanwhile runs right after.
  let passing = false;
  let again = false;
  function pass(): void {
    if (stopped) return;
    if (passing) {
      again = true;
      return;
    }
    passing = true;
    void onePass().finally(() => {
      passing = false;
      if (again) {
        again = false;
        pass();
      }
    });
  }

  async function onePass(): Promise<void> {
    try {
      const t = now();
      await store.push.expandOutbox(t, OUTBOX_BATCH);
      const free = concurrency - inFlight.size;
      if (free <= 0) return;
      for (const d of await store.push.claimDue(t, free, t + leaseMs)) {
        const run: Promise<void> = deliver(d)
          .catch(async (err: unknown) => {
            // A bug-shaped failure would repeat at every lease: drop the message rather than loop.
            log.error({ err, delivery: d.id }, 'push delivery failed; giving up on this message');
            await store.push.finish(d.id).catch(() => undefined);
          })
          .finally(() => {
            inFlight.delete(run);
            pass(); // a slot is free: take the next due delivery now
          });
        inFlight.add(run);
      }
    } catch (err) {
      log.error({ err }, 'push worker pass failed');
    }
  }

  const timer = setInterval(pass, pollMs);
  timer.unref();
  setImmediate(pass); // leftovers from before a restart go out at once

  function kick(): void {
    // Coalesced: a burst of ingest commits makes one pass, outside the ingest's own turn.
    if (kickQueued || stopped) return;
    kickQueued = true;
    setImmediate(() => {
      kickQueued = false;
      pass();
    });
  }
  const unlisten = store.onPushWake(kick);

  return {
    kick,
    async stop() {
      stopped = true;
      unlisten();
      clearInterval(timer);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** The push repository: subscriptions, the outbox written with each event, and pending deliveries. */
import { randomUUID } from 'node:crypto';
import type { Db } from './db.ts';
import type { DeviceRow, DueDelivery, SubscriptionInput } from '../records.ts';

/** The fields eventPushPayload reads. */

export function pushRepository(db: Db) {
  const upsert = db.prepare(`INSERT INTO push_subscriptions
      (id, user_id, endpoint, p256dh, auth, device_name, created_at, last_seen_at)
    VALUES (@id, @userId, @endpoint, @p256dh, @auth, @deviceName, @now, @now)
    ON CONFLICT(endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh,
      auth = excluded.auth, device_name = excluded.device_name, last_seen_at = excluded.last_seen_at
    WHERE push_subscriptions.user_id = excluded.user_id
    RETURNING id`);
  const removeByEndpoint = db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ? AND user_id = ?');
  const listForUser = db.prepare(`SELECT id, device_name, created_at, last_seen_at FROM push_subscriptions
    WHERE user_id = ? ORDER BY created_at, id`);
  const countForUser = db.prepare('SELECT COUNT(*) AS n FROM push_subscriptions WHERE user_id = ?');
  const removeForUser = db.prepare('DELETE FROM push_subscriptions WHERE id = ? AND user_id = ?');
  const removeSubscription = db.prepare('DELETE FROM push_subscriptions WHERE id = ?');
  const enqueue = db.prepare('INSERT INTO push_outbox (kind, event_seq, user_id, created_at, notice) VALUES (?, ?, ?, ?, ?)');
  const sentTo = db.prepare(`SELECT COUNT(DISTINCT s.user_id) AS n FROM push_sent p JOIN push_subscriptions s ON s.id = p.subscription_id
    WHERE p.event_seq = ?`);
  const sent = db.prepare('INSERT INTO push_sent (event_seq, subscription_id, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  // Only for an event that reached a device: most events are never pushed, and need no notice.
  const enqueueNotice = db.prepare(`INSERT INTO push_outbox (kind, event_seq, user_id, created_at, notice)
    SELECT 'event', @seq, NULL, @at, @notice WHERE EXISTS (SELECT 1 FROM push_sent WHERE event_seq = @seq)`);
  const outboxEnd = db.prepare('SELECT MAX(id) AS id FROM (SELECT id FROM push_outbox ORDER BY id LIMIT ?)');
  // An event goes to every device; a test push only to its user's devices; a notice only to the
  // devices that got the event's push.
  const expand = db.prepare(`INSERT INTO push_deliveries (kind, event_seq, subscription_id, attempts, next_attempt_at, created_at, notice)
    SELECT o.kind, o.event_seq, s.id, 0, @now, o.created_at, o.notice
    FROM push_outbox o JOIN push_subscriptions s ON (o.user_id IS NULL OR s.user_id = o.user_id)
      AND (o.notice IS NULL OR EXISTS (SELECT 1 FROM push_sent p WHERE p.event_seq = o.event_seq AND p.subscription_id = s.id))
    WHERE o.id <= @end ORDER BY o.id, s.id`);
  const dropOutbox = db.prepare('DELETE FROM push_outbox WHERE id <= ?');
  // Read before taking the write lock: an idle worker's polls must not queue behind ingest commits.
  const anyOutbox = db.prepare('SELECT 1 FROM push_outbox LIMIT 1');
  const anyDue = db.prepare('SELECT 1 FROM push_deliveries WHERE next_attempt_at <= ? LIMIT 1');
  const due = db.prepare(`SELECT d.id, d.kind, d.event_seq, d.subscription_id, s.user_id, d.attempts, d.created_at, d.notice,
      s.endpoint, s.p256dh, s.auth
    FROM push_deliveries d JOIN push_subscriptions s ON s.id = d.subscription_id
    WHERE d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?`);
  const lease = db.prepare('UPDATE push_deliveries SET next_attempt_at = ? WHERE id = ?');
  const retry = db.prepare('UPDATE push_deliveries SET attempts = ?, next_attempt_at = ? WHERE id = ?');
  const removeDelivery = db.prepare('DELETE FROM push_deliveries WHERE id = ?');
  const queue = db.prepare('SELECT COUNT(*) AS queued, MIN(created_at) AS oldest FROM (SELECT created_at FROM push_outbox UNION ALL SELECT created_at FROM push_deliveries) AS q');
  const pending = db.prepare(`SELECT (SELECT COUNT(*) FROM push_outbox) AS outbox,
    (SELECT COUNT(*) FROM push_deliveries) AS deliveries`);

  // In-process wake-up: the writer signals after a commit, the worker listens. Kept here, on the
  // store both share, so neither needs a reference to the other.
  const wakers = new Set<() => void>();

  return {
    /** Tells this process's push worker that the outbox has rows. Call after the commit. */
    wake(): void {
      for (const w of wakers) w();
    },
    /** Registers a worker's kick; returns the function that unregisters it. */
    onWake(fn: () => void): () => void {
      wakers.add(fn);
      return () => void wakers.delete(fn);
    },

    /**
     * Creates or refreshes this browser's subscription (every app open re-syncs it); returns its id,
     * or null when the endpoint is another user's device (it is never moved to the caller).
     */
    saveSubscription(s: SubscriptionInput): string | null {
      return db.transaction(() => {
        const row = upsert.get({ ...s, id: randomUUID() }) as { id: string } | undefined;
        if (!row) return null;
        if (s.oldEndpoint !== null && s.oldEndpoint !== s.endpoint) removeByEndpoint.run(s.oldEndpoint, s.userId);
        return row.id;
      })();
    },
    devices: (userId: string) => listForUser.all(userId) as DeviceRow[],
    deviceCount: (userId: string) => (countForUser.get(userId) as { n: number }).n,
    /** Removes one of this user's devices; false when it is not theirs or does not exist. */
    removeDevice: (id: string, userId: string) => removeForUser.run(id, userId).changes > 0,
    /** The push service said the subscription is gone: forget it (and its pending deliveries). */
    removeSubscription: (id: string) => void removeSubscription.run(id),

    /** Queues the push for a stored event. Call inside the transaction that stores the event. */
    enqueueEvent: (seq: number, createdAt: number) => void enqueue.run('event', seq, null, createdAt, null),
    /** Queues a test push to one user's devices. */
    enqueueTest: (userId: string, createdAt: number) => void enqueue.run('test', null, userId, createdAt, null),
    /**
     * Queues a notice for the devices that got an event's push (`action:<key>`: it ran; `handled`):
     * it replaces their notification. Call inside the transaction that made the change.
     */
    enqueueNotice: (seq: number, notice: string, createdAt: number) => void enqueueNotice.run({ seq, at: createdAt, notice }),
    /** How many people an event's push reached (devices still subscribed). */
    sentTo: (seq: number) => (sentTo.get(seq) as { n: number }).n,
    /** The push service took an event's push for this device: a later notice goes to it. */
    markSent: (seq: number, subscriptionId: string, at: number) => void sent.run(seq, subscriptionId, at),

    /** Turns up to `limit` outbox rows into one delivery per device, atomically; returns rows taken. */
    expandOutbox(now: number, limit: number): number {
      if (!anyOutbox.get()) return 0;
      return db.transaction(() => {
        const end = (outboxEnd.get(limit) as { id: number | null }).id;
        if (end === null) return 0;
        expand.run({ now, end });
        return dropOutbox.run(end).changes;
      }).immediate();
    },

    /** Claims up to `limit` due deliveries: each is leased until `leaseUntil` so no poll takes it twice. */
    claimDue(now: number, limit: number, leaseUntil: number): DueDelivery[] {
      if (!anyDue.get(now)) return [];
      return db.transaction(() => {
        const rows = due.all(now, limit) as DueDelivery[];
        for (const r of rows) lease.run(leaseUntil, r.id);
        return rows;
      }).immediate();
    },
    retryLater: (id: number, attempts: number, at: number) => void retry.run(attempts, at, id),
    /** Delivered, or given up on. */
    finish: (id: number) => void removeDelivery.run(id),


    /** Messages waiting (queued events and unsent deliveries) and when the oldest was queued, for /metrics. */
    queue(): PushQueue {
      const row = queue.get() as { queued: number; oldest: number | null };
      return { queued: row.queued, oldestCreatedAt: row.oldest };
    },
    /** How much is waiting (tests and diagnostics). */
    pending: () => pending.get() as { outbox: number; deliveries: number },
  };
}

export interface PushQueue {
  queued: number;
  oldestCreatedAt: number | null;
}

export type PushRepository = ReturnType<typeof pushRepository>;

/**
 * The push repository on PostgreSQL: the same methods as `../push.ts`. Every step that SQLite does in
 * a transaction is one statement here (data-modifying CTEs), so it holds on a pool as in a caller's
 * transaction. Several instances share the outbox: each takes rows with FOR UPDATE SKIP LOCKED, so
 * an outbox row is expanded once and a delivery is claimed by one instance; a claim is a lease
 * (next_attempt_at in the future), so a dead instance's claims come due again and another sends them.
 */
import { randomUUID } from 'node:crypto';
import type { StoreRepositories } from '../types.ts';
import type { DeviceRow, DueDelivery } from '../records.ts';
import type { Queryable } from './liveLog.ts';

type Push = StoreRepositories['push'];

export function postgresPush(db: Queryable): Push {
  return {
    async saveSubscription(s) {
      // The endpoint is never moved to another user: the upsert's WHERE leaves it, and RETURNING is empty.
      const { rows } = await db.query<{ id: string }>(
        `WITH saved AS (
           INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, device_name, created_at, last_seen_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
           ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh,
             auth = excluded.auth, device_name = excluded.device_name, last_seen_at = excluded.last_seen_at
           WHERE push_subscriptions.user_id = excluded.user_id
           RETURNING id
         ), replaced AS (
           DELETE FROM push_subscriptions WHERE endpoint = $8 AND endpoint <> $3 AND user_id = $2 AND EXISTS (SELECT 1 FROM saved)
         )
         SELECT id FROM saved`,
        [randomUUID(), s.userId, s.endpoint, s.p256dh, s.auth, s.deviceName, s.now, s.oldEndpoint],
      );
      return rows[0]?.id ?? null;
    },

    async devices(userId) {
      const { rows } = await db.query<DeviceRow>(
        'SELECT id, device_name, created_at, last_seen_at FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at, id COLLATE "C"',
        [userId],
      );
      return rows;
    },
    async deviceCount(userId) {
      return (await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM push_subscriptions WHERE user_id = $1', [userId])).rows[0]!.n;
    },
    async removeDevice(id, userId) {
      return ((await db.query('DELETE FROM push_subscriptions WHERE id = $1 AND user_id = $2', [id, userId])).rowCount ?? 0) > 0;
    },
    async removeSubscription(id) {
      await db.query('DELETE FROM push_subscriptions WHERE id = $1', [id]);
    },

    async enqueueEvent(seq, createdAt) {
      await db.query("INSERT INTO push_outbox (kind, event_seq, user_id, created_at) VALUES ('event', $1, NULL, $2)", [seq, createdAt]);
    },
    async enqueueTest(userId, createdAt) {
      await db.query("INSERT INTO push_outbox (kind, event_seq, user_id, created_at) VALUES ('test', NULL, $1, $2)", [userId, createdAt]);
    },
    async enqueueNotice(seq, notice, createdAt) {
      // Only for an event that reached a device: most events are never pushed, and need no notice.
      await db.query(
        "INSERT INTO push_outbox (kind, event_seq, user_id, created_at, notice) SELECT 'event', $1, NULL, $2, $3 WHERE EXISTS (SELECT 1 FROM push_sent WHERE event_seq = $1)",
        [seq, createdAt, notice],
      );
    },
    async sentTo(seq) {
      const { rows } = await db.query(
        'SELECT COUNT(DISTINCT s.user_id) AS n FROM push_sent p JOIN push_subscriptions s ON s.id = p.subscription_id WHERE p.event_seq = $1',
        [seq],
      );
      return Number(rows[0].n);
    },
    async markSent(seq, subscriptionId, at) {
      await db.query('INSERT INTO push_sent (event_seq, subscription_id, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [seq, subscriptionId, at]);
    },

    async expandOutbox(now, limit) {
      // An event goes to every device; a test push only to its user's devices; a notice only to the
      // devices that got the event's push.
      const { rows } = await db.query<{ n: number }>(
        `WITH taken AS (
           DELETE FROM push_outbox WHERE id IN (SELECT id FROM push_outbox ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING id, kind, event_seq, user_id, created_at, notice
         ), expanded AS (
           INSERT INTO push_deliveries (kind, event_seq, subscription_id, attempts, next_attempt_at, created_at, notice)
           SELECT o.kind, o.event_seq, s.id, 0, $1, o.created_at, o.notice
           FROM taken o JOIN push_subscriptions s ON (o.user_id IS NULL OR s.user_id = o.user_id)
             AND (o.notice IS NULL OR EXISTS (SELECT 1 FROM push_sent p WHERE p.event_seq = o.event_seq AND p.subscription_id = s.id))
           ORDER BY o.id, s.id COLLATE "C"
         )
         SELECT COUNT(*) AS n FROM taken`,
        [now, limit],
      );
      return rows[0]!.n;
    },

    async claimDue(now, limit, leaseUntil) {
      const { rows } = await db.query<DueDelivery & { next: number }>(
        `WITH due AS (
           SELECT id FROM push_deliveries WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
         ), claimed AS (
           UPDATE push_deliveries d SET next_attempt_at = $3 FROM due WHERE d.id = due.id
           RETURNING d.id, d.kind, d.event_seq, d.subscription_id, d.attempts, d.created_at, d.notice
         )
         SELECT c.*, s.user_id, s.endpoint, s.p256dh, s.auth FROM claimed c JOIN push_subscriptions s ON s.id = c.subscription_id ORDER BY c.id`,
        [now, limit, leaseUntil],
      );
      return rows;
    },
    async retryLater(id, attempts, at) {
      await db.query('UPDATE push_deliveries SET attempts = $1, next_attempt_at = $2 WHERE id = $3', [attempts, at, id]);
    },
    async finish(id) {
      await db.query('DELETE FROM push_deliveries WHERE id = $1', [id]);
    },

    async queue() {
      const { rows } = await db.query<{ queued: number; oldest: number | null }>('SELECT COUNT(*) AS queued, MIN(created_at) AS oldest FROM (SELECT created_at FROM push_outbox UNION ALL SELECT created_at FROM push_deliveries) AS q');
      return { queued: rows[0]!.queued, oldestCreatedAt: rows[0]!.oldest };
    },
    async pending() {
      const { rows } = await db.query<{ outbox: number; deliveries: number }>(
        'SELECT (SELECT COUNT(*) FROM push_outbox) AS outbox, (SELECT COUNT(*) FROM push_deliveries) AS deliveries',
      );
      return rows[0]!;
    },
  };
}

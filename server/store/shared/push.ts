/**
 * Push, written once for both engines: subscriptions (a person's devices), the outbox written with
 * each event, and the deliveries the worker sends. Several PostgreSQL instances share the outbox: each
 * takes rows with FOR UPDATE SKIP LOCKED, so an outbox row is expanded once and a delivery is claimed
 * by one instance; SQLite has one writer (one process, one connection), so it needs no row locks. A
 * claim is a lease (next_attempt_at in the future): a dead worker's claims come due again and another
 * pass sends them. The wake-up signal is the AppStore's (`wakePush`/`onPushWake`), not a repository's.
 */
import { randomUUID } from 'node:crypto';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { DeviceRow, DueDelivery } from '../records.ts';
import { changed, fixedQuery, type Sql } from '../sql/db.ts';
import { bytewise } from '../sql/dialect.ts';
import type { PushRepository } from '../types.ts';

// The worker's statements per device, compiled once (see fixedQuery).
const enqueueEvent = fixedQuery((db, p: { seq: number; createdAt: number }) =>
  db.insertInto('push_outbox').values({ kind: 'event', event_seq: p.seq, user_id: null, created_at: p.createdAt, notice: null }),
);
const markSent = fixedQuery((db, p: { seq: number; subscriptionId: string; at: number }) =>
  db.insertInto('push_sent').values({ event_seq: p.seq, subscription_id: p.subscriptionId, sent_at: p.at }).onConflict((c) => c.doNothing()),
);
const finish = fixedQuery((db, p: { id: number }) => db.deleteFrom('push_deliveries').where('id', '=', p.id));

export function pushRepository(sqlh: Sql): PushRepository {
  const { db, engine } = sqlh;
  /**
   * One delivery per device for the outbox rows `which` picks (alias `o`): an event goes to every
   * device; a test push only to its user's devices; a notice only to the devices that got the
   * event's push, or to all of one person's devices when addressed to them. In id order, so deliveries keep the order things were queued in.
   */
  const perDevice = (now: number, which: Expression<SqlBool>) =>
    db
      .insertInto('push_deliveries')
      .columns(['kind', 'event_seq', 'subscription_id', 'attempts', 'next_attempt_at', 'created_at', 'notice'])
      .expression(
        db
          .selectFrom('push_outbox as o')
          .innerJoin('push_subscriptions as s', (join) =>
            join.on((eb) =>
              eb.and([
                eb.or([eb('o.user_id', 'is', null), eb('s.user_id', '=', eb.ref('o.user_id'))]),
                eb.or([
                  eb('o.notice', 'is', null),
                  // A notice addressed to one person (an approval asked of them) goes to all their devices.
                  eb('o.user_id', 'is not', null),
                  eb.exists(eb.selectFrom('push_sent as p').select('p.event_seq').whereRef('p.event_seq', '=', 'o.event_seq').whereRef('p.subscription_id', '=', 's.id')),
                ]),
              ]),
            ),
          )
          .select((eb) => ['o.kind', 'o.event_seq', 's.id', sql.lit(0).as('attempts'), eb.val(now).as('next_attempt_at'), 'o.created_at', 'o.notice'])
          .where(which)
          .orderBy('o.id')
          .orderBy(bytewise(engine, 's.id')),
      );

  /** SQLite: several statements as one — a savepoint is a transaction of its own outside one, and nests inside one. */
  const atomically = async <T>(fn: () => Promise<T>): Promise<T> => {
    await sql`SAVEPOINT push_expand`.execute(db);
    try {
      const result = await fn();
      await sql`RELEASE push_expand`.execute(db);
      return result;
    } catch (err) {
      await sql`ROLLBACK TO push_expand`.execute(db);
      await sql`RELEASE push_expand`.execute(db);
      throw err;
    }
  };

  const count = (r: { n: number | string | bigint } | undefined) => Number(r?.n ?? 0);

  return {
    async saveSubscription(s) {
      // The endpoint is never moved to another user: the upsert's WHERE leaves it, and RETURNING is empty.
      const saved = await db
        .insertInto('push_subscriptions')
        .values({ id: randomUUID(), user_id: s.userId, endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth, device_name: s.deviceName, created_at: s.now, last_seen_at: s.now, locale: s.locale ?? null })
        .onConflict((c) =>
          c
            .column('endpoint')
            .doUpdateSet((eb) => ({
              user_id: eb.ref('excluded.user_id'),
              p256dh: eb.ref('excluded.p256dh'),
              auth: eb.ref('excluded.auth'),
              device_name: eb.ref('excluded.device_name'),
              last_seen_at: eb.ref('excluded.last_seen_at'),
              locale: eb.fn.coalesce('excluded.locale', 'push_subscriptions.locale'),
            }))
            .whereRef('push_subscriptions.user_id', '=', 'excluded.user_id'),
        )
        .returning('id')
        .executeTakeFirst();
      if (!saved) return null;
      // The browser's old endpoint (pushsubscriptionchange) is gone at the push service: forget it.
      if (s.oldEndpoint !== null && s.oldEndpoint !== s.endpoint) {
        await db.deleteFrom('push_subscriptions').where('endpoint', '=', s.oldEndpoint).where('user_id', '=', s.userId).execute();
      }
      return saved.id;
    },

    async devices(userId) {
      return (await db
        .selectFrom('push_subscriptions')
        .select(['id', 'device_name', 'created_at', 'last_seen_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy(bytewise(engine, 'id'))
        .execute()) as DeviceRow[];
    },
    async deviceCount(userId) {
      return count(await db.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirst());
    },
    async removeDevice(id, userId) {
      return changed(await db.deleteFrom('push_subscriptions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()) > 0;
    },
    async removeSubscription(id) {
      await db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
    },

    async enqueueEvent(seq, createdAt) {
      await enqueueEvent(sqlh, { seq, createdAt });
    },
    async enqueueTest(userId, createdAt) {
      await db.insertInto('push_outbox').values({ kind: 'test', event_seq: null, user_id: userId, created_at: createdAt, notice: null }).execute();
    },
    async enqueueNotice(seq, notice, createdAt) {
      // Only for an event that reached a device: most events are never pushed, and need no notice.
      await db
        .insertInto('push_outbox')
        .columns(['kind', 'event_seq', 'user_id', 'created_at', 'notice'])
        .expression(
          db
            .selectNoFrom((eb) => [sql.lit('event').as('kind'), eb.val(seq).as('event_seq'), sql.lit(null).as('user_id'), eb.val(createdAt).as('created_at'), eb.val(notice).as('notice')])
            .where(({ exists, selectFrom }) => exists(selectFrom('push_sent').select('event_seq').where('event_seq', '=', seq))),
        )
        .execute();
    },
    async enqueueFor(userId, seq, notice, createdAt) {
      await db.insertInto('push_outbox').values({ kind: 'event', event_seq: seq, user_id: userId, created_at: createdAt, notice }).execute();
    },
    async sentTo(seq) {
      return count(
        await db
          .selectFrom('push_sent as p')
          .innerJoin('push_subscriptions as s', 's.id', 'p.subscription_id')
          .select((eb) => eb.fn.count('s.user_id').distinct().as('n'))
          .where('p.event_seq', '=', seq)
          .executeTakeFirst(),
      );
    },
    async markSent(seq, subscriptionId, at) {
      await markSent(sqlh, { seq, subscriptionId, at });
    },

    async expandOutbox(now, limit) {
      // Taking outbox rows and writing their deliveries must be one: PostgreSQL does it in one
      // statement (data-modifying CTEs, which SQLite lacks), locking the rows it takes (SKIP LOCKED:
      // another instance takes others); SQLite, one writer, in a savepoint.
      if (engine === 'postgres') {
        const r = await db
          // MATERIALIZED: the LIMIT and the locks apply once (an `IN (… LIMIT … FOR UPDATE)` may be re-run per row).
          .with((cte) => cte('picked').materialized(), (qc) => qc.selectFrom('push_outbox').select('id').orderBy('id').limit(limit).forUpdate().skipLocked())
          .with('taken', (qc) => qc.deleteFrom('push_outbox').where('id', 'in', qc.selectFrom('picked').select('picked.id')).returning('id'))
          // Every part of the statement reads one snapshot: the rows `taken` deletes are still there to expand.
          .with('expanded', () => perDevice(now, sql<SqlBool>`o.id IN (SELECT id FROM taken)`).returning('id'))
          .selectFrom('taken')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst();
        return count(r);
      }
      // The batch's last id, read first: an idle poll takes no write lock. Nothing writes between
      // this read and the savepoint (the SQLite AppStore runs a call in one turn on its connection).
      const end = (
        await db
          .selectFrom((qc) => qc.selectFrom('push_outbox').select('id').orderBy('id').limit(limit).as('first'))
          .select((eb) => eb.fn.max('first.id').as('id'))
          .executeTakeFirst()
      )?.id;
      if (end === null || end === undefined) return 0;
      return atomically(async () => {
        await perDevice(now, sql<SqlBool>`o.id <= ${end}`).execute();
        return changed(await db.deleteFrom('push_outbox').where('id', '<=', end).executeTakeFirst());
      });
    },

    async claimDue(now, limit, leaseUntil) {
      // One statement: the due rows are picked once (MATERIALIZED; on PostgreSQL locked, skipping
      // another instance's), leased, and returned with their device (subqueries: SQLite's RETURNING
      // reads only the table it changes, by its name).
      const due = db.selectFrom('push_deliveries').select('id').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').orderBy('id').limit(limit);
      const rows = await db
        .with((cte) => cte('due').materialized(), () => (engine === 'postgres' ? due.forUpdate().skipLocked() : due))
        .updateTable('push_deliveries')
        .set({ next_attempt_at: leaseUntil })
        .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
        .returning((eb) => {
          const device = <C extends 'user_id' | 'endpoint' | 'p256dh' | 'auth' | 'locale'>(column: C) =>
            eb.selectFrom('push_subscriptions as s').select(`s.${column}` as `s.${C}`).whereRef('s.id', '=', 'push_deliveries.subscription_id').as(column);
          return [
            'push_deliveries.id',
            'push_deliveries.kind',
            'push_deliveries.event_seq',
            'push_deliveries.subscription_id',
            'push_deliveries.attempts',
            'push_deliveries.created_at',
            'push_deliveries.notice',
            device('user_id'),
            device('endpoint'),
            device('p256dh'),
            device('auth'),
            device('locale'),
          ];
        })
        .execute();
      // A device removed meanwhile takes its deliveries with it (ON DELETE CASCADE): none to send.
      return (rows.filter((r) => r.endpoint !== null) as DueDelivery[]).sort((a, b) => a.id - b.id);
    },
    async retryLater(id, attempts, at) {
      await db.updateTable('push_deliveries').set({ attempts, next_attempt_at: at }).where('id', '=', id).execute();
    },
    async finish(id) {
      await finish(sqlh, { id });
    },

    async queue() {
      const r = await db
        .selectFrom((qc) => qc.selectFrom('push_outbox').select('created_at').unionAll(qc.selectFrom('push_deliveries').select('created_at')).as('q'))
        .select((eb) => [eb.fn.countAll().as('queued'), eb.fn.min('q.created_at').as('oldest')])
        .executeTakeFirstOrThrow();
      return { queued: Number(r.queued), oldestCreatedAt: r.oldest === null ? null : Number(r.oldest) };
    },
    async pending() {
      const r = await db
        .selectNoFrom((eb) => [
          eb.selectFrom('push_outbox').select(eb.fn.countAll().as('n')).as('outbox'),
          eb.selectFrom('push_deliveries').select(eb.fn.countAll().as('n')).as('deliveries'),
        ])
        .executeTakeFirstOrThrow();
      return { outbox: Number(r.outbox), deliveries: Number(r.deliveries) };
    },
  };
}

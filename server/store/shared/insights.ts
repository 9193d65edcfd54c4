/**
 * Insights, written once for both engines: reads the rollups of migration 008 and counts pushes.
 * The event counts (event_counts, event_name_counts, category_counts) are kept on every insert and
 * delete of an event: by triggers (PostgreSQL; SQLite's deletions), and by SQLite's event writer for
 * its inserts (sqlite/events.ts, migration 022); only push_counts is written here, by the push worker
 * (`countPush`).
 */
import { sql } from 'kysely';
import { INSIGHT_TOP_NAMES } from '../../../contract/insights.ts';
import { DAY_MS, HOUR_MS, type InsightRows } from '../insightRows.ts';
import { fixedQuery, type Sql } from '../sql/db.ts';
import { bytewise } from '../sql/dialect.ts';
import type { InsightsRepository } from '../types.ts';

/** A settled push counted for its event's project, added to its hour's row (nothing when the event is gone). */
const countPush = fixedQuery((db, p: { seq: number; hour: number; sent: number; failed: number }) =>
  db
    .insertInto('push_counts')
    .columns(['project_id', 'hour', 'sent', 'failed'])
    .expression(
      db
        .selectFrom('events')
        .select((eb) => ['project_id', eb.val(p.hour).as('hour'), eb.val(p.sent).as('sent'), eb.val(p.failed).as('failed')])
        .where('seq', '=', p.seq),
    )
    .onConflict((c) =>
      c.columns(['project_id', 'hour']).doUpdateSet((eb) => ({
        sent: eb('push_counts.sent', '+', eb.ref('excluded.sent')),
        failed: eb('push_counts.failed', '+', eb.ref('excluded.failed')),
      })),
    ),
);

export function insightsRepository(sqlh: Sql): InsightsRepository {
  const { db, engine } = sqlh;
  return {
    async read(q) {
      // Four reads, each one pass over its rollup. On SQLite they are one snapshot: the SQLite
      // AppStore runs each call from outside a transaction in its own turn on its one connection
      // (sqlite/appStore.ts, `inTurn`), and a transaction holds the turn to its end, so nothing writes
      // between them. On PostgreSQL they run side by side on the pool's connections.
      const [perDay, names, presses, pushes] = await Promise.all([
        // One pass over the range's hour buckets (hours × categories rows, whatever the number of
        // events). An hour falls on local day ⌊(hour·HOUR + tz) / DAY⌋: integer arithmetic (the CAST:
        // SQLite binds a JavaScript number as REAL).
        db
          .selectFrom('event_counts')
          .select((eb) => [
            sql<number>`(${sql.ref('hour')} * ${sql.lit(HOUR_MS)} + CAST(${q.tzMs} AS BIGINT)) / ${sql.lit(DAY_MS)}`.as('day'),
            'category',
            eb.fn.sum<number>('count').as('n'),
          ])
          .where('project_id', '=', q.projectId)
          .where('test', '=', q.test)
          .where('hour', '>=', q.fromHour)
          .where('hour', '<=', q.toHour)
          .groupBy([sql.lit(1), 'category'])
          .execute(),
        db
          .selectFrom('event_name_counts')
          .select((eb) => ['name', eb.fn.sum<number>('count').as('n')])
          .where('project_id', '=', q.projectId)
          .where('test', '=', q.test)
          .where('day', '>=', q.fromDay)
          .where('day', '<=', q.toDay)
          .groupBy('name')
          .having((eb) => eb.fn.sum('count'), '>', 0)
          .orderBy('n', 'desc')
          .orderBy(bytewise(engine, 'name'))
          .limit(INSIGHT_TOP_NAMES)
          .execute(),
        db
          .selectFrom('action_attempts as t')
          .innerJoin('events as e', 'e.seq', 't.event_seq')
          .select((eb) => [eb.fn.coalesce('t.outcome', sql.lit('running')).as('outcome'), eb.fn.countAll<number>().as('n')])
          .where('t.started_at', '>=', q.fromMs)
          .where('t.started_at', '<=', q.toMs)
          .where('e.project_id', '=', q.projectId)
          .where('e.test', '=', q.test)
          .groupBy(sql.lit(1))
          .execute(),
        db
          .selectFrom('push_counts')
          .select((eb) => [eb.fn.sum<number | null>('sent').as('sent'), eb.fn.sum<number | null>('failed').as('failed')])
          .where('project_id', '=', q.projectId)
          .where('hour', '>=', q.fromHour)
          .where('hour', '<=', q.toHour)
          .executeTakeFirstOrThrow(),
      ]);
      return { perDay, names, presses: presses as InsightRows['presses'], pushes };
    },

    async countPush(eventSeq, outcome, at) {
      await countPush(sqlh, { seq: eventSeq, hour: Math.floor(at / HOUR_MS), sent: outcome === 'sent' ? 1 : 0, failed: outcome === 'failed' ? 1 : 0 });
    },
  };
}

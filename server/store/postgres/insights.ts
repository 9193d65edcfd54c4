/** The insights repository on PostgreSQL: the same queries as `../sqlite/insights.ts`, over the rollups of migration 008. */
import { INSIGHT_TOP_NAMES } from '../../../contract/insights.ts';
import type { StoreRepositories } from '../types.ts';
import { DAY_MS, HOUR_MS, type InsightRows } from '../insightRows.ts';
import type { Queryable } from './liveLog.ts';

type Insights = StoreRepositories['insights'];

export function postgresInsights(db: Queryable): Insights {
  return {
    async read(q) {
      // Side by side (the pool's connections); each one pass over its rollup.
      const [perDay, names, presses, pushes] = await Promise.all([
        db.query<InsightRows['perDay'][number]>(
          `SELECT (hour * ${HOUR_MS} + $5) / ${DAY_MS} AS day, category, SUM(count) AS n
           FROM event_counts WHERE project_id = $1 AND test = $2 AND hour BETWEEN $3 AND $4 GROUP BY 1, 2`,
          [q.projectId, q.test, q.fromHour, q.toHour, q.tzMs],
        ),
        db.query<InsightRows['names'][number]>(
          `SELECT name, SUM(count) AS n FROM event_name_counts WHERE project_id = $1 AND test = $2 AND day BETWEEN $3 AND $4
           GROUP BY name HAVING SUM(count) > 0 ORDER BY n DESC, name COLLATE "C" LIMIT ${INSIGHT_TOP_NAMES}`,
          [q.projectId, q.test, q.fromDay, q.toDay],
        ),
        db.query<InsightRows['presses'][number]>(
          `SELECT COALESCE(t.outcome, 'running') AS outcome, COUNT(*) AS n
           FROM action_attempts t JOIN events e ON e.seq = t.event_seq
           WHERE t.started_at BETWEEN $1 AND $2 AND e.project_id = $3 AND e.test = $4 GROUP BY 1`,
          [q.fromMs, q.toMs, q.projectId, q.test],
        ),
        db.query<InsightRows['pushes']>(
          'SELECT SUM(sent) AS sent, SUM(failed) AS failed FROM push_counts WHERE project_id = $1 AND hour BETWEEN $2 AND $3',
          [q.projectId, q.fromHour, q.toHour],
        ),
      ]);
      return { perDay: perDay.rows, names: names.rows, presses: presses.rows, pushes: pushes.rows[0]! };
    },

    async countPush(eventSeq, outcome, at) {
      await db.query(
        `INSERT INTO push_counts (project_id, hour, sent, failed)
         SELECT project_id, $2, $3, $4 FROM events WHERE seq = $1
         ON CONFLICT (project_id, hour) DO UPDATE SET sent = push_counts.sent + excluded.sent, failed = push_counts.failed + excluded.failed`,
        [eventSeq, Math.floor(at / HOUR_MS), outcome === 'sent' ? 1 : 0, outcome === 'failed' ? 1 : 0],
      );
    },
  };
}

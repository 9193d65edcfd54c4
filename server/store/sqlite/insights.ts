/** The insights repository on SQLite: reads the rollups of migration 008, and counts pushes. */
import { INSIGHT_TOP_NAMES } from '../../../contract/insights.ts';
import { DAY_MS, HOUR_MS, type InsightQuery, type InsightRows, type PushOutcome } from '../insightRows.ts';
import type { Db } from './db.ts';

export function insightsRepository(db: Db) {
  // One pass over the range's hour buckets (hours × categories rows, whatever the number of events).
  const perDay = db.prepare(`SELECT (hour * ${HOUR_MS} + CAST(@tzMs AS INTEGER)) / ${DAY_MS} AS day, category, SUM(count) AS n
    FROM event_counts WHERE project_id = @projectId AND test = @test AND hour BETWEEN @fromHour AND @toHour GROUP BY 1, 2`);
  const names = db.prepare(`SELECT name, SUM(count) AS n FROM event_name_counts
    WHERE project_id = @projectId AND test = @test AND day BETWEEN @fromDay AND @toDay
    GROUP BY name HAVING n > 0 ORDER BY n DESC, name LIMIT ${INSIGHT_TOP_NAMES}`);
  const presses = db.prepare(`SELECT COALESCE(t.outcome, 'running') AS outcome, COUNT(*) AS n
    FROM action_attempts t JOIN events e ON e.seq = t.event_seq
    WHERE t.started_at BETWEEN @fromMs AND @toMs AND e.project_id = @projectId AND e.test = @test GROUP BY 1`);
  const pushes = db.prepare(`SELECT SUM(sent) AS sent, SUM(failed) AS failed FROM push_counts
    WHERE project_id = @projectId AND hour BETWEEN @fromHour AND @toHour`);
  const countPush = db.prepare(`INSERT INTO push_counts (project_id, hour, sent, failed)
    SELECT project_id, @hour, @sent, @failed FROM events WHERE seq = @seq
    ON CONFLICT (project_id, hour) DO UPDATE SET sent = sent + excluded.sent, failed = failed + excluded.failed`);

  return {
    /** Everything the insights page shows for one window; one synchronous read, so one snapshot. */
    read(q: InsightQuery): InsightRows {
      const { projectId, fromHour, toHour, fromDay, toDay, fromMs, toMs, tzMs } = q;
      const test = q.test ? 1 : 0;
      return {
        perDay: perDay.all({ projectId, test, fromHour, toHour, tzMs }) as InsightRows['perDay'],
        names: names.all({ projectId, test, fromDay, toDay }) as InsightRows['names'],
        presses: presses.all({ projectId, test, fromMs, toMs }) as InsightRows['presses'],
        pushes: pushes.get({ projectId, fromHour, toHour }) as InsightRows['pushes'],
      };
    },

    /** Counts one push message of a stored event for its project (nothing when the event is gone). */
    countPush(eventSeq: number, outcome: PushOutcome, at: number): void {
      countPush.run({ seq: eventSeq, hour: Math.floor(at / HOUR_MS), sent: outcome === 'sent' ? 1 : 0, failed: outcome === 'failed' ? 1 : 0 });
    },
  };
}

export type InsightsRepository = ReturnType<typeof insightsRepository>;

/**
 * The press state machine on PostgreSQL: the same guarded UPDATE as SQLite's (`../actions.ts`), which
 * under READ COMMITTED re-checks its WHERE on the row's newest version after waiting for a concurrent
 * press's lock — so two instances pressing at once start one request. Settling lapsed presses is one
 * UPDATE … RETURNING per table, so two instances sweeping together settle each press once.
 */
import type { JsonValue } from '../../../contract/ingest.ts';
import { toAttemptDto } from '../records.ts';
import { mayPress } from '../openRules.ts';
import type { StoreRepositories } from '../types.ts';
import type { Queryable } from './liveLog.ts';

type Actions = StoreRepositories['actions'];
type AttemptRow = Parameters<typeof toAttemptDto>[0];

export function postgresActions(db: Queryable): Actions {
  return {
    async start(eventSeq, key, now, leaseUntil) {
      const { rows } = await db.query<{ attempts: number; url: string; button_text: string; meta: string | null }>(
        `UPDATE actions SET state = 'running', attempts = attempts + 1, lease_until = $1
         WHERE event_seq = $2 AND key = $3 AND ${mayPress('actions', '$4')}
         RETURNING attempts, url, button_text, meta`,
        [leaseUntil, eventSeq, key, now],
      );
      const row = rows[0];
      if (row) {
        return { kind: 'started', number: row.attempts, url: row.url, buttonText: row.button_text, meta: row.meta === null ? null : (JSON.parse(row.meta) as JsonValue) };
      }
      const why = await db.query<{ state: string; external: boolean; expires_at: number }>(
        'SELECT state, external, expires_at FROM actions WHERE event_seq = $1 AND key = $2',
        [eventSeq, key],
      );
      const current = why.rows[0];
      if (!current) return { kind: 'refused', why: 'not_found' };
      if (current.external) return { kind: 'refused', why: 'external' };
      if (current.expires_at <= now) return { kind: 'refused', why: 'expired' };
      return { kind: 'refused', why: current.state === 'running' ? 'running' : 'done' };
    },

    async recordAttempt(a) {
      await db.query(
        `INSERT INTO action_attempts (id, event_seq, action_key, number, pressed_by, pressed_by_email, started_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [a.id, a.eventSeq, a.key, a.number, a.userId, a.email, a.startedAt],
      );
    },

    async finish(attemptId, eventSeq, key, result, now) {
      // Also over an `interrupted` settle of this attempt: the sweep took it for a dead process's,
      // but this process ran it and knows how it ended (its database was away meanwhile).
      const { rows: done } = await db.query<{ number: number }>(
        `UPDATE action_attempts SET finished_at = $1, duration_ms = $2, outcome = $3, status_code = $4, reason = $5, response_excerpt = $6
         WHERE id = $7 AND (outcome IS NULL OR reason = 'interrupted') RETURNING number`,
        [now, result.durationMs, result.ok ? 'succeeded' : 'failed', result.status, result.reason, result.responseExcerpt, attemptId],
      );
      if (done[0]) {
        // Only the newest attempt settles the action (an older one, finishing late, keeps its outcome on its row).
        await db.query(
          `UPDATE actions SET state = $1, lease_until = NULL
           WHERE event_seq = $2 AND key = $3 AND attempts = $4 AND state IN ('running', 'failed')`,
          [result.ok ? 'succeeded' : 'failed', eventSeq, key, done[0].number],
        );
      }
      const { rows } = await db.query<AttemptRow>('SELECT * FROM action_attempts WHERE id = $1', [attemptId]);
      return toAttemptDto(rows[0]!);
    },

    async attempt(id) {
      const { rows } = await db.query<AttemptRow>('SELECT * FROM action_attempts WHERE id = $1', [id]);
      return rows[0] ? toAttemptDto(rows[0]) : null;
    },

    async history(eventSeq) {
      const { rows } = await db.query<AttemptRow>('SELECT * FROM action_attempts WHERE event_seq = $1 ORDER BY started_at, number', [eventSeq]);
      return rows.map(toAttemptDto);
    },

    async recoverInterrupted(now, all = false) {
      const { rows } = await db.query<{ event_seq: number; key: string; test: boolean }>(
        `WITH lapsed AS (
           UPDATE actions SET state = 'failed', lease_until = NULL
           WHERE state = 'running' AND ($2 OR lease_until IS NULL OR lease_until <= $1)
           RETURNING event_seq, key
         ), attempts AS (
           UPDATE action_attempts t SET outcome = 'failed', reason = 'interrupted', finished_at = $1
           FROM lapsed l WHERE t.event_seq = l.event_seq AND t.action_key = l.key AND t.outcome IS NULL
         )
         SELECT l.event_seq, l.key, e.test FROM lapsed l JOIN events e ON e.seq = l.event_seq ORDER BY l.event_seq, l.key`,
        [now, all],
      );
      return rows.map((r) => ({ eventSeq: r.event_seq, key: r.key, test: r.test }));
    },
  };
}

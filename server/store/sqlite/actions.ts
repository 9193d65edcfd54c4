/**
 * The webhook action state machine and its attempts. A press becomes `running` through one guarded
 * UPDATE (… WHERE the state allows it AND it has not expired), so concurrent presses from two tabs
 * or two devices start exactly one request; the others learn why they cannot.
 */
import type { AttemptDto } from '../../../contract/api.ts';
import type { JsonValue } from '../../../contract/ingest.ts';
import type { Db } from './db.ts';
import { mayPress } from '../openRules.ts';
import { type AttemptFinish, type AttemptRow, type Refusal, type StartedAttempt, toAttemptDto } from '../records.ts';

export function actionsRepository(db: Db) {
  const start = db.prepare(`UPDATE actions SET state = 'running', attempts = attempts + 1, lease_until = ?
    WHERE event_seq = ? AND key = ? AND ${mayPress('actions', '?')}
    RETURNING attempts, url, button_text, meta`);
  const why = db.prepare('SELECT state, external, expires_at FROM actions WHERE event_seq = ? AND key = ?');
  const insertAttempt = db.prepare(`INSERT INTO action_attempts
    (id, event_seq, action_key, number, pressed_by, pressed_by_email, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  // Also over an `interrupted` settle of this attempt: the sweep took it for a dead process's, but this
  // process ran it and knows how it ended (its database was away meanwhile).
  const finishAttempt = db.prepare(`UPDATE action_attempts
    SET finished_at = ?, duration_ms = ?, outcome = ?, status_code = ?, reason = ?, response_excerpt = ?
    WHERE id = ? AND (outcome IS NULL OR reason = 'interrupted') RETURNING number`);
  // Only the newest attempt settles the action (an older one, finishing late, keeps its outcome on its row).
  const settle = db.prepare(`UPDATE actions SET state = ?, lease_until = NULL
    WHERE event_seq = ? AND key = ? AND attempts = ? AND state IN ('running', 'failed')`);
  const attemptById = db.prepare('SELECT * FROM action_attempts WHERE id = ?');
  const attemptsOf = db.prepare('SELECT * FROM action_attempts WHERE event_seq = ? ORDER BY started_at, number');
  // Running presses whose lease ran out (or, with `all`, every running press: a store only this
  // process can open, at its start). A lease is NULL only for presses started before leases existed.
  const lapsed = db.prepare(`SELECT a.event_seq, a.key, e.test FROM actions a JOIN events e ON e.seq = a.event_seq
    WHERE a.state = 'running' AND (@all = 1 OR a.lease_until IS NULL OR a.lease_until <= @now)`);
  const interruptedAttempts = db.prepare(`UPDATE action_attempts SET outcome = 'failed', reason = 'interrupted', finished_at = ?
    WHERE event_seq = ? AND action_key = ? AND outcome IS NULL`);
  const interruptedAction = db.prepare(`UPDATE actions SET state = 'failed', lease_until = NULL WHERE event_seq = ? AND key = ? AND state = 'running'`);

  return {
    /** Moves the action to `running` (held until `leaseUntil`) if it may run now; call inside a transaction. */
    start(eventSeq: number, key: string, now: number, leaseUntil: number): StartedAttempt | { kind: 'refused'; why: Refusal } {
      const row = start.get(leaseUntil, eventSeq, key, now) as { attempts: number; url: string; button_text: string; meta: string | null } | undefined;
      if (row) {
        return {
          kind: 'started',
          number: row.attempts,
          url: row.url,
          buttonText: row.button_text,
          meta: row.meta === null ? null : (JSON.parse(row.meta) as JsonValue),
        };
      }
      const current = why.get(eventSeq, key) as { state: string; external: number; expires_at: number } | undefined;
      if (!current) return { kind: 'refused', why: 'not_found' };
      if (current.external === 1) return { kind: 'refused', why: 'external' };
      if (current.expires_at <= now) return { kind: 'refused', why: 'expired' };
      return { kind: 'refused', why: current.state === 'running' ? 'running' : 'done' };
    },

    recordAttempt(a: { id: string; eventSeq: number; key: string; number: number; userId: string; email: string; startedAt: number }) {
      insertAttempt.run(a.id, a.eventSeq, a.key, a.number, a.userId, a.email, a.startedAt);
    },

    /** Records the receiver's answer and settles the action; call inside a transaction. */
    finish(attemptId: string, eventSeq: number, key: string, result: AttemptFinish, now: number): AttemptDto {
      const done = finishAttempt.get(now, result.durationMs, result.ok ? 'succeeded' : 'failed', result.status, result.reason, result.responseExcerpt, attemptId) as
        | { number: number }
        | undefined;
      if (done) settle.run(result.ok ? 'succeeded' : 'failed', eventSeq, key, done.number);
      return toAttemptDto(attemptById.get(attemptId) as AttemptRow);
    },

    attempt: (id: string) => {
      const row = attemptById.get(id) as AttemptRow | undefined;
      return row ? toAttemptDto(row) : null;
    },

    history: (eventSeq: number) => (attemptsOf.all(eventSeq) as AttemptRow[]).map(toAttemptDto),

    /**
     * Settles as failed (`interrupted`) the presses whose process is gone: those whose lease ran out,
     * or with `all` every running one. Returns what it settled, for the live channel. Call inside a transaction.
     */
    recoverInterrupted(now: number, all = false): { eventSeq: number; key: string; test: boolean }[] {
      const rows = lapsed.all({ now, all: all ? 1 : 0 }) as { event_seq: number; key: string; test: number }[];
      for (const r of rows) {
        interruptedAttempts.run(now, r.event_seq, r.key);
        interruptedAction.run(r.event_seq, r.key);
      }
      return rows.map((r) => ({ eventSeq: r.event_seq, key: r.key, test: r.test === 1 }));
    },
  };
}

export type ActionsRepository = ReturnType<typeof actionsRepository>;

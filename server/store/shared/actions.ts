/**
 * The webhook action state machine and its attempts, written once for both engines. A press becomes
 * `running` through one guarded UPDATE (… WHERE `mayPress`), so concurrent presses from two tabs, two
 * devices or two instances start exactly one request: SQLite runs one writer at a time, and
 * PostgreSQL under READ COMMITTED re-checks the WHERE on the row's newest version after waiting for a
 * concurrent press's lock. The others learn why they cannot (`refusal`).
 */
import { type SqlBool, sql } from 'kysely';
import type { JsonValue } from '../../../contract/ingest.ts';
import { mayPress } from '../openRules.ts';
import { type AttemptRow, type Refusal, toAttemptDto } from '../records.ts';
import { bool } from '../sql/schema.ts';
import type { Sql } from '../sql/db.ts';
import type { ActionsRepository } from '../types.ts';


/** Why a press that did not start was refused: the action as it is now (none: no such action). */
export function refusal(
  action: { state: string; external: boolean | number; expires_at: number; reply: boolean | number } | undefined,
  now: number,
  decided: boolean,
): Refusal {
  if (!action) return 'not_found';
  if (bool(action.external)) return 'external';
  if (bool(action.reply) && decided) return 'decided';
  if (action.expires_at <= now) return 'expired';
  if (action.state === 'awaiting_approval' || action.state === 'scheduled' || action.state === 'running') return action.state;
  return 'done';
}

/** Why a press of the action cannot start now, read afresh (after a guarded UPDATE matched nothing). */
export async function refusalNow(db: Sql['db'], eventSeq: number, key: string, now: number): Promise<Refusal> {
  const current = await db
    .selectFrom('actions as a')
    .innerJoin('events as e', 'e.seq', 'a.event_seq')
    .select(['a.state', 'a.external', 'a.expires_at', 'a.reply', 'e.decision_key'])
    .where('a.event_seq', '=', eventSeq)
    .where('a.key', '=', key)
    .executeTakeFirst();
  return refusal(current, now, current?.decision_key != null);
}

export function actionsRepository({ db }: Sql): ActionsRepository {
  const attempt = (id: string) => db.selectFrom('action_attempts').selectAll().where('id', '=', id).executeTakeFirst() as Promise<AttemptRow | undefined>;
  /**
   * A running press whose process is gone (`actions`: the table's name, which SQLite's RETURNING
   * needs): its lease ran out, or with `all` any. A lease is NULL only for presses started before leases existed.
   */
  const lapsed = (now: number, all: boolean) =>
    sql<SqlBool>`actions.state = 'running'${all ? sql`` : sql` AND (actions.lease_until IS NULL OR actions.lease_until <= ${now})`}`;

  return {
    async start(eventSeq, key, now, leaseUntil) {
      // The hot path is one statement; a refused press reads the action once more to say why.
      const row = await db
        .updateTable('actions')
        .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), lease_until: leaseUntil }))
        .where('event_seq', '=', eventSeq)
        .where('key', '=', key)
        .where(mayPress('actions', now))
        .returning(['attempts', 'url', 'button_text', 'meta', 'reply'])
        .executeTakeFirst();
      if (row) {
        return { kind: 'started', number: row.attempts, url: row.url, buttonText: row.button_text, meta: row.meta === null ? null : (JSON.parse(row.meta) as JsonValue), reply: bool(row.reply) };
      }
      return { kind: 'refused', why: await refusalNow(db, eventSeq, key, now) };
    },

    async recordAttempt(a) {
      await db
        .insertInto('action_attempts')
        .values({ id: a.id, event_seq: a.eventSeq, action_key: a.key, number: a.number, pressed_by: a.userId, pressed_by_email: a.email, started_at: a.startedAt, input: a.input ?? null })
        .execute();
    },

    async finish(attemptId, eventSeq, key, result, now) {
      const outcome = result.ok ? 'succeeded' : 'failed';
      // Also over an `interrupted` settle of this attempt: the sweep took it for a dead process's, but
      // this process ran it and knows how it ended (its database was away meanwhile).
      const done = (await db
        .updateTable('action_attempts')
        .set({ finished_at: now, duration_ms: result.durationMs, outcome, status_code: result.status, reason: result.reason, response_excerpt: result.responseExcerpt })
        .where('id', '=', attemptId)
        .where((eb) => eb.or([eb('outcome', 'is', null), eb('reason', '=', 'interrupted')]))
        .returningAll()
        .executeTakeFirst()) as AttemptRow | undefined;
      if (!done) return toAttemptDto((await attempt(attemptId))!);
      // Only the newest attempt settles the action (an older one, finishing late, keeps its outcome on its row).
      await db
        .updateTable('actions')
        .set({ state: outcome, lease_until: null })
        .where('event_seq', '=', eventSeq)
        .where('key', '=', key)
        .where('attempts', '=', done.number)
        .where('state', 'in', ['running', 'failed'])
        .execute();
      return toAttemptDto(done);
    },

    async attempt(id) {
      const row = await attempt(id);
      return row ? toAttemptDto(row) : null;
    },

    async history(eventSeq) {
      const rows = await db.selectFrom('action_attempts').selectAll().where('event_seq', '=', eventSeq).orderBy('started_at').orderBy('number').execute();
      return (rows as AttemptRow[]).map(toAttemptDto);
    },

    async recoverInterrupted(now, all = false) {
      // Two statements, whatever the number of presses: their attempts first (while the presses are
      // still `running`, which says which), then the presses, each settled once (two instances
      // sweeping together: the second finds the state no longer `running`). The caller's transaction
      // makes the pair one.
      await db
        .updateTable('action_attempts')
        .set({ outcome: 'failed', reason: 'interrupted', finished_at: now })
        .where('outcome', 'is', null)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('actions')
              .select('actions.key')
              .whereRef('actions.event_seq', '=', 'action_attempts.event_seq')
              .whereRef('actions.key', '=', 'action_attempts.action_key')
              .where(lapsed(now, all)),
          ),
        )
        .execute();
      const settled = await db
        .updateTable('actions')
        .set({ state: 'failed', lease_until: null })
        .where(lapsed(now, all))
        .returning((eb) => ['actions.event_seq', 'actions.key', eb.selectFrom('events').select('events.test').whereRef('events.seq', '=', 'actions.event_seq').as('test')])
        .execute();
      return settled
        .map((r) => ({ eventSeq: r.event_seq, key: r.key, test: bool(r.test) }))
        .sort((a, b) => a.eventSeq - b.eventSeq || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
  };
}

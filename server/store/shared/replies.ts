/**
 * The decisions owed to events' replyUrls (§11), written once for both engines: one row per event,
 * claimed under a lease by a guarded UPDATE (two instances never send the same try), retried with
 * backoff until it is answered 2xx or a day has passed.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Sql } from '../sql/db.ts';
import type { RepliesRepository } from '../types.ts';

export function repliesRepository({ db }: Sql): RepliesRepository {
  return {
    async enqueue(eventSeq, projectId, at) {
      await db
        .insertInto('reply_deliveries')
        .values({ event_seq: eventSeq, project_id: projectId, webhook_id: `msg_${randomBytes(16).toString('base64url')}`, status: 'pending', created_at: at, next_attempt_at: at })
        .onConflict((oc) => oc.column('event_seq').doNothing())
        .execute();
    },

    async enqueueExpired(now, limit) {
      // Open questions with a replyUrl whose every reply action has expired, not yet queued.
      const rows = await db
        .selectFrom('events as e')
        .select(['e.seq', 'e.project_id'])
        .where('e.reply_url', 'is not', null)
        .where('e.decision_key', 'is', null)
        .where(({ exists, not, selectFrom }) =>
          not(exists(selectFrom('actions as a').select('a.key').whereRef('a.event_seq', '=', 'e.seq').where('a.reply', '=', true).where('a.expires_at', '>', now))),
        )
        .where(({ exists, not, selectFrom }) => not(exists(selectFrom('reply_deliveries as d').select('d.event_seq').whereRef('d.event_seq', '=', 'e.seq'))))
        .orderBy('e.seq')
        .limit(limit)
        .execute();
      for (const r of rows) await this.enqueue(Number(r.seq), Number(r.project_id), now);
      return rows.length;
    },

    async due(now, limit) {
      const rows = await db
        .selectFrom('reply_deliveries')
        .select('event_seq')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map((r) => Number(r.event_seq));
    },

    async claim(eventSeq, now, leaseUntil) {
      const row = await db
        .updateTable('reply_deliveries')
        .set({ lease_until: leaseUntil })
        .where('event_seq', '=', eventSeq)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .returningAll()
        .executeTakeFirst();
      return row ?? null;
    },

    async finish(eventSeq, outcome, at, nextAttemptAt) {
      await db
        .updateTable('reply_deliveries')
        .set((eb) => ({
          status: outcome.ok ? 'delivered' : nextAttemptAt === null ? 'gave_up' : 'pending',
          attempts: eb('attempts', '+', 1),
          last_at: at,
          last_status: outcome.status,
          last_reason: outcome.reason,
          last_duration_ms: outcome.durationMs,
          lease_until: null,
          next_attempt_at: nextAttemptAt ?? sql<number>`next_attempt_at`,
        }))
        .where('event_seq', '=', eventSeq)
        .execute();
    },

    async bySeq(eventSeq) {
      return (await db.selectFrom('reply_deliveries').selectAll().where('event_seq', '=', eventSeq).executeTakeFirst()) ?? null;
    },
  };
}

/**
 * Presses that wait (§10), written once for both engines. Every step is a guarded UPDATE on the
 * request's status and its action's state (… WHERE status = 'scheduled'), so two instances, or an
 * approval racing a cancel, change a request once: SQLite runs one writer at a time, and PostgreSQL
 * re-checks the WHERE on the row's newest version after waiting for the other's lock.
 */
import type { JsonValue } from '../../../contract/ingest.ts';
import type { ActionState } from '../../../contract/api.ts';
import { mayPress } from '../openRules.ts';
import type { StoredApproval } from '../requestRows.ts';
import type { Sql } from '../sql/db.ts';
import type { PressRequestRow, PressRequestsRepository } from '../types.ts';
import { bool } from '../sql/schema.ts';
import { refusalNow } from './actions.ts';

const WAITING = ['awaiting_approval', 'scheduled'] as const;

export function pressRequestsRepository({ db, engine }: Sql): PressRequestsRepository {
  const byId = (id: string) => db.selectFrom('press_requests').selectAll().where('id', '=', id).executeTakeFirst() as Promise<PressRequestRow | undefined>;

  /** The action of an ended request returns to the state it had before (only while this request holds it). */
  async function release(r: Pick<PressRequestRow, 'id' | 'event_seq' | 'action_key' | 'prior_state'>) {
    await db
      .updateTable('actions')
      .set({ state: r.prior_state })
      .where('event_seq', '=', r.event_seq)
      .where('key', '=', r.action_key)
      .where('request_id', '=', r.id)
      .where('state', 'in', WAITING)
      .execute();
  }

  return {
    async open(r, now) {
      const current = await db
        .selectFrom('actions')
        .select(['state', 'external', 'expires_at'])
        .where('event_seq', '=', r.eventSeq)
        .where('key', '=', r.key)
        .executeTakeFirst();
      if (!current) return { kind: 'refused', why: 'not_found' };
      // Compare-and-set on the state read: a concurrent press that changed it meanwhile wins.
      const held = await db
        .updateTable('actions')
        .set({ state: r.status, request_id: r.id })
        .where('event_seq', '=', r.eventSeq)
        .where('key', '=', r.key)
        .where('state', '=', current.state)
        .where(mayPress('actions', now))
        .executeTakeFirst();
      if (Number(held.numUpdatedRows) === 0) return { kind: 'refused', why: await refusalNow(db, r.eventSeq, r.key, now) };
      await db
        .insertInto('press_requests')
        .values({
          id: r.id,
          event_seq: r.eventSeq,
          action_key: r.key,
          project_id: r.projectId,
          status: r.status,
          risk: r.risk,
          needed: r.needed,
          requested_by: r.requestedBy.id,
          requested_email: r.requestedBy.email,
          requested_at: r.requestedAt,
          expires_at: r.expiresAt,
          delay_seconds: r.delaySeconds,
          runs_at: r.runsAt,
          webhook_id: r.webhookId,
          prior_state: current.state as ActionState,
          input: r.input ?? null,
        })
        .execute();
      return { kind: 'opened' };
    },

    byId,

    async lock(id) {
      const q = db.selectFrom('press_requests').selectAll().where('id', '=', id);
      return (await (engine === 'postgres' ? q.forUpdate() : q).executeTakeFirst()) as PressRequestRow | undefined;
    },

    async approve(id, approver, at) {
      const added = await db
        .insertInto('press_approvals')
        .values({ request_id: id, user_id: approver.id, email: approver.email, at })
        .onConflict((c) => c.columns(['request_id', 'user_id']).doNothing())
        .returning('user_id')
        .executeTakeFirst();
      if (!added) return null;
      const rows = await db.selectFrom('press_approvals').select(['user_id', 'email', 'at']).where('request_id', '=', id).orderBy('at').orderBy('user_id').execute();
      const list: StoredApproval[] = rows.map((a) => ({ id: a.user_id, email: a.email, at: Number(a.at) }));
      await db.updateTable('press_requests').set({ approved_by: JSON.stringify(list) }).where('id', '=', id).execute();
      return list.length;
    },

    async schedule(id, runsAt) {
      const r = await db.updateTable('press_requests').set({ status: 'scheduled', runs_at: runsAt }).where('id', '=', id).where('status', '=', 'awaiting_approval').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await db.updateTable('actions').set({ state: 'scheduled' }).where('request_id', '=', id).where('state', '=', 'awaiting_approval').execute();
      return true;
    },

    async end(id, status, by, at, reason) {
      const ended = await db
        .updateTable('press_requests')
        .set({ status, ended_by: by?.id ?? null, ended_email: by?.email ?? null, ended_at: at, reason })
        .where('id', '=', id)
        .where('status', 'in', WAITING)
        .returning(['id', 'event_seq', 'action_key', 'prior_state'])
        .executeTakeFirst();
      if (!ended) return false;
      await release(ended);
      return true;
    },

    async due(now, limit) {
      return db
        .selectFrom('press_requests')
        .select(['id', 'status'])
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'scheduled'), eb('runs_at', '<=', now)]),
            eb.and([eb('status', '=', 'awaiting_approval'), eb('expires_at', '<=', now)]),
          ]),
        )
        .orderBy('requested_at')
        .limit(limit)
        .execute();
    },

    async nextDue() {
      const row = await db
        .selectFrom('press_requests')
        .select((eb) => eb.fn.min(eb.case().when('status', '=', 'scheduled').then(eb.ref('runs_at')).else(eb.ref('expires_at')).end()).as('at'))
        .where('status', 'in', WAITING)
        .executeTakeFirst();
      return row?.at === null || row?.at === undefined ? null : Number(row.at);
    },

    async claim(id, now, leaseUntil) {
      const request = (await db
        .updateTable('press_requests')
        .set({ status: 'sent' })
        .where('id', '=', id)
        .where('status', '=', 'scheduled')
        .where('runs_at', '<=', now)
        .returningAll()
        .executeTakeFirst()) as PressRequestRow | undefined;
      if (!request) return { kind: 'taken' };
      const started = await db
        .updateTable('actions')
        .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), lease_until: leaseUntil }))
        .where('event_seq', '=', request.event_seq)
        .where('key', '=', request.action_key)
        .where('request_id', '=', id)
        .where('state', '=', 'scheduled')
        .where('expires_at', '>', now)
        .returning(['attempts', 'url', 'button_text', 'meta', 'reply'])
        .executeTakeFirst();
      if (!started) {
        // The action expired while it waited: the request ends so, and nothing is sent.
        const ended = (await db
          .updateTable('press_requests')
          .set({ status: 'expired', ended_at: now })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst()) as PressRequestRow;
        await release(ended);
        return { kind: 'expired', request: ended };
      }
      return {
        kind: 'started',
        number: started.attempts,
        url: started.url,
        buttonText: started.button_text,
        meta: started.meta === null ? null : (JSON.parse(started.meta) as JsonValue),
        reply: bool(started.reply),
        request,
      };
    },
  };
}


/**
 * Working an event together (§12), written once for both engines: an event's state marks, assignee
 * and snooze, each changed by one guarded UPDATE (a change that is no change — or a state change from
 * a state it may not be made from — touches nothing and says so), and the event's timeline.
 */
import { randomBytes } from 'node:crypto';
import type { ActivityDto, PersonDto, StateChange } from '../../../contract/triage.ts';
import { changed, type Sql } from '../sql/db.ts';
import type { EventActivityTable } from '../sql/schema.ts';
import type { TriageRepository } from '../types.ts';

const iso = (t: number) => new Date(Number(t)).toISOString();

function activityDto(r: EventActivityTable): ActivityDto {
  const detail = r.detail === null ? {} : (JSON.parse(r.detail) as { assignee?: PersonDto; until?: number });
  return {
    id: r.id,
    kind: r.kind,
    by: { id: r.by_id, email: r.by_email, name: r.by_name },
    at: iso(r.at),
    text: r.text,
    assignee: detail.assignee ?? null,
    until: detail.until === undefined ? null : iso(detail.until),
  };
}

let made = 0;
/**
 * A timeline entry's id: sortable in the order this process made them (its clock, then a counter),
 * so entries made in the same millisecond keep their order; random after that, unique across instances.
 */
export const newActivityId = () => `act_${Date.now().toString(36).padStart(9, '0')}${(made++ % 46_656).toString(36).padStart(3, '0')}${randomBytes(6).toString('base64url')}`;

export function triageRepository({ db }: Sql): TriageRepository {
  return {
    async change(seq, change: StateChange, by, at) {
      let q = db.updateTable('events').where('seq', '=', seq).where('parent_seq', 'is', null);
      if (change === 'ack') q = q.set({ acked_at: at, acked_by_email: by }).where('handled_at', 'is', null).where('acked_at', 'is', null);
      else if (change === 'resolve') q = q.set({ handled_at: at, handled_by_email: by }).where('handled_at', 'is', null);
      else q = q.set({ handled_at: null, handled_by_email: null, acked_at: null, acked_by_email: null }).where((eb) => eb.or([eb('handled_at', 'is not', null), eb('acked_at', 'is not', null)]));
      return changed(await q.executeTakeFirst()) > 0;
    },

    async assign(seq, userId) {
      const q = db.updateTable('events').set({ assignee_id: userId }).where('seq', '=', seq).where('parent_seq', 'is', null);
      return changed(await (userId === null ? q.where('assignee_id', 'is not', null) : q.where((eb) => eb.or([eb('assignee_id', 'is', null), eb('assignee_id', '!=', userId)]))).executeTakeFirst()) > 0;
    },

    async snooze(seq, until) {
      const q = db.updateTable('events').set({ snoozed_until: until }).where('seq', '=', seq).where('parent_seq', 'is', null);
      return changed(await (until === null ? q.where('snoozed_until', 'is not', null) : q).executeTakeFirst()) > 0;
    },

    async record(entry) {
      await db
        .insertInto('event_activity')
        .values({
          id: entry.id ?? newActivityId(),
          event_seq: entry.eventSeq,
          kind: entry.kind,
          by_id: entry.by.id,
          by_email: entry.by.email,
          by_name: entry.by.name,
          at: entry.at,
          text: entry.text ?? null,
          detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
        })
        .execute();
    },

    async entry(id) {
      const row = (await db.selectFrom('event_activity').selectAll().where('id', '=', id).executeTakeFirst()) as EventActivityTable | undefined;
      return row ? activityDto(row) : null;
    },

    async activity(seq, limit) {
      const rows = await db.selectFrom('event_activity').selectAll().where('event_seq', '=', seq).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return (rows as EventActivityTable[]).reverse().map(activityDto);
    },

    async notes(seq, before, limit) {
      let q = db.selectFrom('event_activity').selectAll().where('event_seq', '=', seq).where('kind', '=', 'note');
      if (before) q = q.where((eb) => eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]));
      const rows = (await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute()) as EventActivityTable[];
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { notes: page.map(activityDto), next: rows.length > limit && last ? { at: Number(last.at), id: last.id } : null };
    },

    async wakeSnoozed(now, limit) {
      // Each snoozed event wakes once: the UPDATE clears the mark, and only the instance whose UPDATE
      // cleared it gets the row back.
      const due = await db.selectFrom('events').select('seq').where('snoozed_until', '<=', now).orderBy('snoozed_until').limit(limit).execute();
      const woken: { seq: number; projectId: number; test: boolean; notify: boolean }[] = [];
      for (const { seq } of due) {
        const row = await db
          .updateTable('events')
          .set({ snoozed_until: null })
          .where('seq', '=', seq)
          .where('snoozed_until', '<=', now)
          .returning(['seq', 'project_id', 'test', 'notify'])
          .executeTakeFirst();
        if (row) woken.push({ seq: Number(row.seq), projectId: Number(row.project_id), test: Boolean(row.test), notify: Boolean(row.notify) });
      }
      return woken;
    },

    async escalate(projectId, before, windowMs, at, limit) {
      const due = await db
        .selectFrom('events')
        .select('seq')
        .where('project_id', '=', projectId)
        .where('escalated_at', 'is', null)
        .where('handled_at', 'is', null)
        .where('acked_at', 'is', null)
        .where('parent_seq', 'is', null)
        .where('notify', '=', true)
        .where('test', '=', false)
        .where('created_at', '<=', before)
        .where('created_at', '>', before - windowMs)
        .where((eb) => eb.or([eb('snoozed_until', 'is', null), eb('snoozed_until', '<=', at)]))
        .orderBy('created_at')
        .limit(limit)
        .execute();
      const claimed: number[] = [];
      for (const { seq } of due) {
        // Exactly once across instances: only the UPDATE that finds it unescalated (and still open) counts.
        const done = await db
          .updateTable('events')
          .set({ escalated_at: at })
          .where('seq', '=', seq)
          .where('escalated_at', 'is', null)
          .where('handled_at', 'is', null)
          .where('acked_at', 'is', null)
          .executeTakeFirst();
        if (changed(done) > 0) claimed.push(Number(seq));
      }
      return claimed;
    },

    async member(projectId, userId) {
      // Anyone with access to the project: a member row, or an owner of the installation.
      const row = await db
        .selectFrom('users as u')
        .leftJoin('project_members as m', (j) => j.onRef('m.user_id', '=', 'u.id').on('m.project_id', '=', projectId))
        .select(['u.id', 'u.email', 'u.name'])
        .where('u.id', '=', userId)
        .where((eb) => eb.or([eb('u.role', '=', 'owner'), eb('m.user_id', 'is not', null)]))
        .executeTakeFirst();
      return row ? { id: row.id, email: row.email, name: row.name } : null;
    },
  };
}


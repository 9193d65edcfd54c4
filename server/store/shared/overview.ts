/** A project at a glance, written once for both engines: its open counts for the project switcher, and its first-run progress. */
import { sql } from 'kysely';
import { COUNT_CAP, IN_STATE, LONGEST_ACTION_LIFE_MS, mayPress, TOP_LEVEL, UNHANDLED } from '../openRules.ts';
import type { Sql } from '../sql/db.ts';
import { anyOf } from '../sql/dialect.ts';
import { bool } from '../sql/schema.ts';
import type { OverviewRepository } from '../types.ts';
import { openInvite, projectPeople } from './projects.ts';

const topLevel = sql.raw<boolean>(TOP_LEVEL);
const unhandled = sql.raw<boolean>(UNHANDLED);

export function overviewRepository({ db, engine }: Sql): OverviewRepository {
  return {
    async counts(projectIds, now) {
      // One statement for every project; each count a LIMIT subquery on the open-events index.
      const rows = await db
        .selectFrom('projects as p')
        .where(anyOf(engine, 'p.id', projectIds))
        .select((eb) => {
          const open = () => eb.selectFrom('events as e').whereRef('e.project_id', '=', 'p.id').where('e.test', '=', false).where(topLevel).where(unhandled);
          const count = (rows: ReturnType<typeof open>) => eb.selectFrom(rows.select(sql.lit(1).as('one')).limit(COUNT_CAP).as('o')).select(eb.fn.countAll<number>().as('n'));
          return [
            'p.id',
            count(open()).as('open'),
            count(open().innerJoin('actions as a', 'a.event_seq', 'e.seq').where('e.created_at', '>', now - LONGEST_ACTION_LIFE_MS).where(mayPress('a', now))).as('pressable'),
          ];
        })
        .execute();
      return new Map(rows.map((r) => [Number(r.id), { open: Number(r.open), pressable: Number(r.pressable) }]));
    },
    async triageCounts(projectId, test, userId, now) {
      // Each a LIMIT subquery: a project with a million open events costs the same as one with 1000.
      const r = await db
        .selectNoFrom((eb) => {
          const top = () => eb.selectFrom('events as e').where('e.project_id', '=', projectId).where('e.test', '=', test).where(topLevel);
          const count = (rows: ReturnType<typeof top>) => eb.selectFrom(rows.select(sql.lit(1).as('one')).limit(COUNT_CAP).as('o')).select(eb.fn.countAll<number>().as('n'));
          const awake = sql<boolean>`(e.snoozed_until IS NULL OR e.snoozed_until <= ${now})`;
          return [
            count(top().where(sql.raw<boolean>(IN_STATE.open)).where(awake)).as('open'),
            count(top().where(sql.raw<boolean>(IN_STATE.acknowledged)).where(awake)).as('acknowledged'),
            count(top().where(unhandled).where('e.assignee_id', '=', userId)).as('mine'),
          ];
        })
        .executeTakeFirstOrThrow();
      return { open: Number(r.open), acknowledged: Number(r.acknowledged), mine: Number(r.mine) };
    },
    async progress(projectId, now) {
      const r = await db
        .selectNoFrom((eb) => [
          eb.exists(eb.selectFrom('api_keys').select('id').where('project_id', '=', projectId)).as('key'),
          // Every project that has events has one at the top level (a thread's events hang under an opener of theirs).
          eb.exists(eb.selectFrom('events as e').select('e.seq').where('e.project_id', '=', projectId).where(topLevel)).as('event'),
          eb.exists(eb.selectFrom('action_attempts as t').innerJoin('events as e', 'e.seq', 't.event_seq').select('t.id').where('e.project_id', '=', projectId)).as('action'),
          eb.selectFrom(projectPeople(db, projectId).select('u.id').limit(2).as('x')).select(eb.fn.countAll<number>().as('n')).as('people'),
          eb.exists(eb.selectFrom('invites as i').select('i.id').where('i.project_id', '=', projectId).where(openInvite('i', now))).as('invited'),
        ])
        .executeTakeFirstOrThrow();
      return { key: bool(r.key), event: bool(r.event), action: bool(r.action), teammate: Number(r.people) > 1 || bool(r.invited) };
    },
  };
}

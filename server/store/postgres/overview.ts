/**
 * A project at a glance on PostgreSQL: its open counts for the project switcher, and its first-run
 * progress — the same answers as ../sqlite/overview.ts (the conformance suite holds them to it).
 */
import type { StoreRepositories } from '../types.ts';
import { COUNT_CAP, LONGEST_ACTION_LIFE_MS, mayPress, TOP_LEVEL, UNHANDLED } from '../openRules.ts';
import type { Queryable } from './liveLog.ts';

const OPEN = `e.project_id = p.id AND NOT e.test AND ${TOP_LEVEL} AND ${UNHANDLED}`;

export function postgresOverview(db: Queryable, invites: Pick<StoreRepositories['invites'], 'pendingCount'>): StoreRepositories['overview'] {
  return {
    async counts(projectIds, now) {
      // One statement for every project; each count a LIMIT subquery on the open-events index.
      const { rows } = await db.query<{ id: number; open: number; pressable: number }>(
        `SELECT p.id,
           (SELECT COUNT(*) FROM (SELECT 1 FROM events e WHERE ${OPEN} LIMIT $4) o)::int AS open,
           (SELECT COUNT(*) FROM (SELECT 1 FROM events e JOIN actions a ON a.event_seq = e.seq
             WHERE ${OPEN} AND e.created_at > $3 AND ${mayPress('a', '$2')} LIMIT $4) x)::int AS pressable
         FROM projects p WHERE p.id = ANY($1::bigint[])`,
        [projectIds, now, now - LONGEST_ACTION_LIFE_MS, COUNT_CAP],
      );
      return new Map(rows.map((r) => [Number(r.id), { open: r.open, pressable: r.pressable }]));
    },
    async progress(projectId, now) {
      const { rows } = await db.query<{ key: boolean; event: boolean; action: boolean; people: number }>(
        `SELECT EXISTS (SELECT 1 FROM api_keys WHERE project_id = $1) AS key,
           EXISTS (SELECT 1 FROM events e WHERE e.project_id = $1 AND ${TOP_LEVEL}) AS event,
           EXISTS (SELECT 1 FROM action_attempts t JOIN events e ON e.seq = t.event_seq WHERE e.project_id = $1) AS action,
           (SELECT COUNT(*) FROM (SELECT user_id FROM project_members WHERE project_id = $1
             UNION SELECT id FROM users WHERE role = 'owner' LIMIT 2) m)::int AS people`,
        [projectId],
      );
      const r = rows[0]!;
      return { key: r.key, event: r.event, action: r.action, teammate: r.people > 1 || (await invites.pendingCount(projectId, now)) > 0 };
    },
  };
}

/** A project at a glance (SQLite): its open counts for the project switcher, and its first-run progress. */
import type { ProjectProgress } from '../../../contract/api.ts';
import { COUNT_CAP, LONGEST_ACTION_LIFE_MS, mayPress, TOP_LEVEL, UNHANDLED } from '../openRules.ts';
import type { Db } from './db.ts';
import type { invitesRepository } from './projects.ts';

/** A project's open events and the actions still pressable on them, each capped at COUNT_CAP. */
export interface ProjectCounts {
  open: number;
  pressable: number;
}

export function overviewRepository(db: Db, invites: Pick<ReturnType<typeof invitesRepository>, 'pendingCount'>) {
  const OPEN = `e.project_id = p.id AND e.test = 0 AND ${TOP_LEVEL} AND ${UNHANDLED}`;
  // One statement for every project; each count a LIMIT subquery on the open-events index.
  const counts = db.prepare(`SELECT p.id,
      (SELECT COUNT(*) FROM (SELECT 1 FROM events e WHERE ${OPEN} LIMIT @cap)) AS open,
      (SELECT COUNT(*) FROM (SELECT 1 FROM events e JOIN actions a ON a.event_seq = e.seq
        WHERE ${OPEN} AND e.created_at > @since AND ${mayPress('a', '@now')} LIMIT @cap)) AS pressable
    FROM projects p WHERE p.id IN (SELECT value FROM json_each(@ids))`);
  const hasKey = db.prepare('SELECT EXISTS (SELECT 1 FROM api_keys WHERE project_id = ?) AS yes');
  // Every project that has events has one at the top level (a thread's events hang under an opener of theirs).
  const hasEvent = db.prepare(`SELECT EXISTS (SELECT 1 FROM events e WHERE e.project_id = ? AND ${TOP_LEVEL}) AS yes`);
  const hasAttempt = db.prepare('SELECT EXISTS (SELECT 1 FROM action_attempts t JOIN events e ON e.seq = t.event_seq WHERE e.project_id = ?) AS yes');
  // Owners are admins of every project, with a member row or without.
  const people = db.prepare(`SELECT COUNT(*) AS n FROM (SELECT user_id FROM project_members WHERE project_id = ?
    UNION SELECT id FROM users WHERE role = 'owner' LIMIT 2)`);
  const yes = (stmt: ReturnType<Db['prepare']>, projectId: number) => (stmt.get(projectId) as { yes: number }).yes === 1;
  return {
    /** Each project's open events and pressable actions at `now` (projects that do not exist are left out). */
    counts(projectIds: number[], now: number): Map<number, ProjectCounts> {
      const rows = counts.all({ ids: JSON.stringify(projectIds), now, since: now - LONGEST_ACTION_LIFE_MS, cap: COUNT_CAP }) as ({ id: number } & ProjectCounts)[];
      return new Map(rows.map((r) => [r.id, { open: r.open, pressable: r.pressable }]));
    },
    /** Which first-run steps the project has taken (pending invites judged at `now`). */
    progress: (projectId: number, now: number): ProjectProgress => ({
      key: yes(hasKey, projectId),
      event: yes(hasEvent, projectId),
      action: yes(hasAttempt, projectId),
      teammate: (people.get(projectId) as { n: number }).n > 1 || invites.pendingCount(projectId, now) > 0,
    }),
  };
}

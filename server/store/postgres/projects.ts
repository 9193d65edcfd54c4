/**
 * Projects, members, invites, the audit log and notification choices on PostgreSQL: the same
 * methods and answers as ../sqlite/projects.ts (the conformance suite holds them to it).
 */
import type { StoreRepositories } from '../types.ts';
import type { AuditRow, InviteRow, MemberListRow, ProjectAccess, ProjectRow, Recipient } from '../records.ts';
import type { Queryable } from './liveLog.ts';

const PROJECT = 'id, slug, name, created_at';
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function postgresProjects(db: Queryable): StoreRepositories['projects'] {
  const one = async <T>(sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0] as T | undefined;
  return {
    async create(slug, name, now) {
      return (await one<ProjectRow>(`INSERT INTO projects (slug, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING RETURNING ${PROJECT}`, [slug, name, now])) ?? null;
    },
    bySlug: (slug) => one<ProjectRow>(`SELECT ${PROJECT} FROM projects WHERE slug = $1`, [slug]),
    byId: (id) => one<ProjectRow>(`SELECT ${PROJECT} FROM projects WHERE id = $1`, [id]),
    async all() {
      return (await db.query<ProjectRow>(`SELECT ${PROJECT} FROM projects ORDER BY id`)).rows;
    },
    async forUser(userId) {
      const { rows } = await db.query<ProjectAccess>(
        `SELECT p.id, p.slug, p.name, p.created_at, m.role AS member_role
         FROM projects p JOIN project_members m ON m.project_id = p.id WHERE m.user_id = $1 ORDER BY p.id`,
        [userId],
      );
      return rows;
    },
    access: (slug, userId) =>
      one<ProjectAccess>(
        `SELECT p.id, p.slug, p.name, p.created_at, m.role AS member_role
         FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1 WHERE p.slug = $2`,
        [userId, slug],
      ),
    async rename(id, name) {
      return ((await db.query('UPDATE projects SET name = $1 WHERE id = $2', [name, id])).rowCount ?? 0) > 0;
    },
    async remove(id) {
      await db.query('DELETE FROM live_log WHERE event_seq IN (SELECT seq FROM events WHERE project_id = $1)', [id]);
      await db.query('DELETE FROM events WHERE project_id = $1', [id]);
      await db.query('DELETE FROM api_keys WHERE project_id = $1', [id]);
      return ((await db.query('DELETE FROM projects WHERE id = $1', [id])).rowCount ?? 0) > 0;
    },
    async webhookSecret(id) {
      return (await one<{ webhook_secret: string | null }>('SELECT webhook_secret FROM projects WHERE id = $1', [id]))?.webhook_secret ?? null;
    },
    async setWebhookSecret(id, value) {
      await db.query('UPDATE projects SET webhook_secret = $1 WHERE id = $2', [value, id]);
    },
    async setWebhookSecretIfAbsent(id, value) {
      // The UPDATE waits for a concurrent one to commit and then sees its secret: both agree on one.
      await db.query('UPDATE projects SET webhook_secret = $1 WHERE id = $2 AND webhook_secret IS NULL', [value, id]);
      return (await one<{ webhook_secret: string }>('SELECT webhook_secret FROM projects WHERE id = $1', [id]))!.webhook_secret;
    },
  };
}

/**
 * A person's notification choice for a project (`n`, joined by PREFS_JOIN on `u` and `$1`): on when
 * they never made one. The push worker sends by it (recipients' `enabled`); the members list shows it.
 */
const PUSHES_ON = 'COALESCE(n.enabled, true)';
const PREFS_JOIN = 'LEFT JOIN notification_prefs n ON n.user_id = u.id AND n.project_id = $1';

export function postgresMembers(db: Queryable): StoreRepositories['members'] {
  return {
    async lock(projectId) {
      // The project's row, locked to the end of the transaction: two instances changing its admins at
      // once take turns, and the second counts what the first left.
      await db.query('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [projectId]);
    },
    async list(projectId) {
      const { rows } = await db.query<MemberListRow>(
        `SELECT u.id AS user_id, u.name, u.email, CASE WHEN u.role = 'owner' THEN 'admin' ELSE m.role END AS role,
           u.role = 'owner' AS owner, COALESCE(m.created_at, u.created_at) AS created_at,
           (SELECT MAX(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id) AS last_active_at,
           ${PUSHES_ON} AND EXISTS (SELECT 1 FROM push_subscriptions d WHERE d.user_id = u.id) AS notifications
         FROM users u LEFT JOIN project_members m ON m.user_id = u.id AND m.project_id = $1
         ${PREFS_JOIN}
         WHERE m.user_id IS NOT NULL OR u.role = 'owner' ORDER BY created_at, u.id COLLATE "C"`,
        [projectId],
      );
      return rows;
    },
    async role(projectId, userId) {
      const { rows } = await db.query('SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2', [projectId, userId]);
      return rows[0]?.role ?? null;
    },
    async add(projectId, userId, role, now) {
      const r = await db.query('INSERT INTO project_members (project_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [projectId, userId, role, now]);
      return (r.rowCount ?? 0) > 0;
    },
    async setRole(projectId, userId, role) {
      return ((await db.query('UPDATE project_members SET role = $1 WHERE project_id = $2 AND user_id = $3', [role, projectId, userId])).rowCount ?? 0) > 0;
    },
    async remove(projectId, userId) {
      return ((await db.query('DELETE FROM project_members WHERE project_id = $1 AND user_id = $2', [projectId, userId])).rowCount ?? 0) > 0;
    },
    async adminCount(projectId) {
      const { rows } = await db.query(
        `SELECT COUNT(*) AS n FROM project_members m JOIN users u ON u.id = m.user_id
         WHERE m.project_id = $1 AND m.role = 'admin' AND u.role <> 'owner'`,
        [projectId],
      );
      return Number(rows[0].n);
    },
    async recipients(projectId) {
      const { rows } = await db.query(
        `SELECT u.id AS user_id, CASE WHEN u.role = 'owner' THEN 'admin' ELSE m.role END AS role,
           ${PUSHES_ON} AS enabled, COALESCE(n.muted, '[]') AS muted
         FROM users u LEFT JOIN project_members m ON m.user_id = u.id AND m.project_id = $1
         ${PREFS_JOIN}
         WHERE m.user_id IS NOT NULL OR u.role = 'owner'`,
        [projectId],
      );
      return rows.map((r) => ({
        user_id: String(r.user_id),
        role: r.role as Recipient['role'],
        enabled: Boolean(r.enabled),
        muted: JSON.parse(String(r.muted)) as string[],
      }));
    },
    async prefs(userId, projectId) {
      const { rows } = await db.query('SELECT enabled, muted FROM notification_prefs WHERE user_id = $1 AND project_id = $2', [userId, projectId]);
      return rows[0] ? { enabled: Boolean(rows[0].enabled), muted: JSON.parse(String(rows[0].muted)) as string[] } : { enabled: true, muted: [] };
    },
    async setPrefs(userId, projectId, p) {
      await db.query(
        `INSERT INTO notification_prefs (user_id, project_id, enabled, muted) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, project_id) DO UPDATE SET enabled = excluded.enabled, muted = excluded.muted`,
        [userId, projectId, p.enabled, JSON.stringify(p.muted)],
      );
    },
  };
}

const INVITE = `i.id, i.project_id, i.role, i.created_by, u.email AS created_by_email, i.created_at, i.expires_at, i.used_at, i.revoked_at
  FROM invites i LEFT JOIN users u ON u.id = i.created_by`;
const invite = (r: Record<string, unknown>): InviteRow => ({
  id: String(r.id),
  project_id: Number(r.project_id),
  role: r.role as InviteRow['role'],
  created_by: (r.created_by as string | null) ?? null,
  created_by_email: (r.created_by_email as string | null) ?? null,
  created_at: Number(r.created_at),
  expires_at: Number(r.expires_at),
  used_at: num(r.used_at),
  revoked_at: num(r.revoked_at),
});

export function postgresInvites(db: Queryable): StoreRepositories['invites'] {
  const byId = async (id: string) => invite((await db.query(`SELECT ${INVITE} WHERE i.id = $1`, [id])).rows[0]);
  return {
    async create(row) {
      await db.query(
        `INSERT INTO invites (id, project_id, role, token_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [row.id, row.projectId, row.role, row.tokenHash, row.createdBy, row.now, row.expiresAt],
      );
      return byId(row.id);
    },
    async pending(projectId, now, after, limit) {
      const { rows } = await db.query(
        `SELECT ${INVITE} WHERE i.project_id = $1 AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2
           AND ($3::bigint IS NULL OR i.created_at < $3 OR (i.created_at = $3 AND i.id COLLATE "C" < $4))
         ORDER BY i.created_at DESC, i.id COLLATE "C" DESC LIMIT $5`,
        [projectId, now, after?.createdAt ?? null, after?.id ?? null, limit],
      );
      return rows.map(invite);
    },
    async pendingCount(projectId, now) {
      const { rows } = await db.query(
        'SELECT COUNT(*) AS n FROM invites WHERE project_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2',
        [projectId, now],
      );
      return Number(rows[0].n);
    },
    async revokeMadeBy(projectId, userId, now) {
      const { rows } = await db.query(
        `UPDATE invites SET revoked_at = $1 WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > $1
           AND created_by = $2 AND ($3::bigint IS NULL OR project_id = $3) RETURNING id, project_id, role`,
        [now, userId, projectId],
      );
      return rows.map((r) => ({ id: String(r.id), project_id: Number(r.project_id), role: r.role as InviteRow['role'] }));
    },
    async byTokenHash(hash) {
      const { rows } = await db.query(`SELECT ${INVITE} WHERE i.token_hash = $1`, [hash]);
      return rows[0] ? invite(rows[0]) : undefined;
    },
    async revoke(projectId, id, now) {
      const r = await db.query('UPDATE invites SET revoked_at = $1 WHERE project_id = $2 AND id = $3 AND used_at IS NULL AND revoked_at IS NULL', [now, projectId, id]);
      return (r.rowCount ?? 0) > 0;
    },
    async use(hash, userId, now) {
      // One guarded UPDATE: of two takers at once, the second waits, re-checks used_at, and gets nothing.
      const { rows } = await db.query(
        `UPDATE invites SET used_at = $1, used_by = $2
         WHERE token_hash = $3 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1 RETURNING id`,
        [now, userId, hash],
      );
      return rows[0] ? byId(String(rows[0].id)) : null;
    },
  };
}

export function postgresAudit(db: Queryable): StoreRepositories['audit'] {
  return {
    async append(e) {
      await db.query(
        'INSERT INTO audit_log (project_id, at, actor_id, actor_email, kind, subject, detail, address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [e.projectId, e.at, e.actorId, e.actorEmail, e.kind, e.subject, e.detail === undefined ? null : JSON.stringify(e.detail), e.address],
      );
    },
    async page(q) {
      // A press's entry joined with its attempt: the Activity page says how it ended, and filters by it.
      const { rows } = await db.query<AuditRow>(
        `SELECT a.id, a.at, a.actor_id, a.actor_email, a.kind, a.subject, a.detail, a.address,
           t.outcome AS attempt_outcome, t.reason AS attempt_reason, t.status_code AS attempt_status, t.id IS NOT NULL AS attempt_found
         FROM audit_log a
         LEFT JOIN events e ON a.kind = 'action.pressed' AND e.id = a.subject
         LEFT JOIN action_attempts t ON t.event_seq = e.seq AND t.action_key = (a.detail::jsonb ->> 'action')
           AND t.number = (CASE WHEN a.kind = 'action.pressed' THEN (a.detail::jsonb ->> 'attempt')::int END)
         WHERE a.project_id = $1 AND ($2::bigint IS NULL OR a.id < $2) AND ($3::text IS NULL OR a.actor_id = $3)
           AND ($4::text[] IS NULL OR a.kind = ANY($4::text[]))
           AND ($6::text IS NULL OR ($6 = 'refused' AND a.kind = 'action.refused') OR (a.kind = 'action.pressed' AND t.outcome = $6))
         ORDER BY a.id DESC LIMIT $5`,
        [q.projectId, q.before, q.actorId, q.kinds === null ? null : [...q.kinds], q.limit, q.outcome],
      );
      return rows.map((r) => ({ ...r, attempt_status: num(r.attempt_status), attempt_found: Boolean(r.attempt_found) }));
    },
  };
}



export function postgresProjectRepositories(
  db: Queryable,
): Pick<StoreRepositories, 'projects' | 'members' | 'invites' | 'audit'> {
  return {
    projects: postgresProjects(db),
    members: postgresMembers(db),
    invites: postgresInvites(db),
    audit: postgresAudit(db),
  };
}

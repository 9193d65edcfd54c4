/** Projects, their members, invite links, the audit log and notification choices (SQLite). */
import type { ProjectRole } from '../../../contract/api.ts';
import type {
  AuditQuery, AuditRow, InviteCursor, InviteRow, MemberListRow, NewAuditEntry, NewInvite, NotificationPrefs, ProjectAccess, ProjectRow,
  Recipient,
} from '../records.ts';
import type { Db } from './db.ts';

const PROJECT = 'id, slug, name, created_at';

export function projectsRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO projects (slug, name, created_at) VALUES (?, ?, ?) ON CONFLICT(slug) DO NOTHING RETURNING ${PROJECT}`);
  const bySlug = db.prepare(`SELECT ${PROJECT} FROM projects WHERE slug = ?`);
  const byId = db.prepare(`SELECT ${PROJECT} FROM projects WHERE id = ?`);
  const all = db.prepare(`SELECT ${PROJECT} FROM projects ORDER BY id`);
  const forUser = db.prepare(`SELECT p.id, p.slug, p.name, p.created_at, m.role AS member_role
    FROM projects p JOIN project_members m ON m.project_id = p.id WHERE m.user_id = ? ORDER BY p.id`);
  const access = db.prepare(`SELECT p.id, p.slug, p.name, p.created_at, m.role AS member_role
    FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = ? WHERE p.slug = ?`);
  const rename = db.prepare('UPDATE projects SET name = ? WHERE id = ?');
  const secret = db.prepare('SELECT webhook_secret FROM projects WHERE id = ?');
  const setSecret = db.prepare('UPDATE projects SET webhook_secret = ? WHERE id = ?');
  const setSecretIfAbsent = db.prepare('UPDATE projects SET webhook_secret = ? WHERE id = ? AND webhook_secret IS NULL');
  const removeLive = db.prepare('DELETE FROM live_log WHERE event_seq IN (SELECT seq FROM events WHERE project_id = ?)');
  const removeEvents = db.prepare('DELETE FROM events WHERE project_id = ?');
  const removeKeys = db.prepare('DELETE FROM api_keys WHERE project_id = ?');
  const remove = db.prepare('DELETE FROM projects WHERE id = ?');
  return {
    /** null when the slug is taken. */
    create: (slug: string, name: string, now: number) => (insert.get(slug, name, now) as ProjectRow | undefined) ?? null,
    bySlug: (slug: string) => bySlug.get(slug) as ProjectRow | undefined,
    byId: (id: number) => byId.get(id) as ProjectRow | undefined,
    all: () => all.all() as ProjectRow[],
    /** The projects someone is a member of, with their role. */
    forUser: (userId: string) => forUser.all(userId) as ProjectAccess[],
    /** A project by slug with this person's member role in it (null when none). */
    access: (slug: string, userId: string) => access.get(userId, slug) as ProjectAccess | undefined,
    rename: (id: number, name: string) => rename.run(name, id).changes > 0,
    /**
     * Deletes a project and everything in it: events (with their actions, attempts, pushes and live
     * entries), keys, members, invites, audit. Their search-index rows stay behind unread (the index is
     * contentless; nothing joins them to an event any more). Call inside a transaction.
     */
    remove(id: number): boolean {
      removeLive.run(id);
      removeEvents.run(id);
      removeKeys.run(id);
      return remove.run(id).changes > 0;
    },
    webhookSecret: (id: number) => (secret.get(id) as { webhook_secret: string | null } | undefined)?.webhook_secret ?? null,
    setWebhookSecret: (id: number, value: string) => void setSecret.run(value, id),
    /** Stores `value` unless the project has a secret; returns the one it has (whoever wrote it first). */
    setWebhookSecretIfAbsent(id: number, value: string): string {
      setSecretIfAbsent.run(value, id);
      return (secret.get(id) as { webhook_secret: string }).webhook_secret;
    },
  };
}

/**
 * A person's notification choice for a project (`n`, joined by PREFS_JOIN on `u` and `@project`):
 * on when they never made one. The push worker sends by it (recipients' `enabled`); the members list
 * shows it (with a device to send to).
 */
const PUSHES_ON = 'COALESCE(n.enabled, 1)';
const PREFS_JOIN = 'LEFT JOIN notification_prefs n ON n.user_id = u.id AND n.project_id = @project';


export function membersRepository(db: Db) {
  // Owners are admins of every project: they are listed whether or not they have a row.
  const list = db.prepare(`SELECT u.id AS user_id, u.name, u.email,
      CASE WHEN u.role = 'owner' THEN 'admin' ELSE m.role END AS role, u.role = 'owner' AS owner,
      COALESCE(m.created_at, u.created_at) AS created_at,
      (SELECT MAX(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id) AS last_active_at,
      ${PUSHES_ON} AND EXISTS (SELECT 1 FROM push_subscriptions d WHERE d.user_id = u.id) AS notifications
    FROM users u LEFT JOIN project_members m ON m.user_id = u.id AND m.project_id = @project
    ${PREFS_JOIN}
    WHERE m.user_id IS NOT NULL OR u.role = 'owner' ORDER BY created_at, u.id`);
  const role = db.prepare('SELECT role FROM project_members WHERE project_id = ? AND user_id = ?');
  const add = db.prepare('INSERT INTO project_members (project_id, user_id, role, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const setRole = db.prepare('UPDATE project_members SET role = ? WHERE project_id = ? AND user_id = ?');
  const remove = db.prepare('DELETE FROM project_members WHERE project_id = ? AND user_id = ?');
  const admins = db.prepare(`SELECT COUNT(*) AS n FROM project_members m JOIN users u ON u.id = m.user_id
    WHERE m.project_id = ? AND m.role = 'admin' AND u.role <> 'owner'`);
  const recipients = db.prepare(`SELECT u.id AS user_id, CASE WHEN u.role = 'owner' THEN 'admin' ELSE m.role END AS role,
      ${PUSHES_ON} AS enabled, COALESCE(n.muted, '[]') AS muted
    FROM users u LEFT JOIN project_members m ON m.user_id = u.id AND m.project_id = @project
    ${PREFS_JOIN}
    WHERE m.user_id IS NOT NULL OR u.role = 'owner'`);
  const prefs = db.prepare('SELECT enabled, muted FROM notification_prefs WHERE user_id = ? AND project_id = ?');
  const setPrefs = db.prepare(`INSERT INTO notification_prefs (user_id, project_id, enabled, muted) VALUES (?, ?, ?, ?)
    ON CONFLICT (user_id, project_id) DO UPDATE SET enabled = excluded.enabled, muted = excluded.muted`);
  return {
    /**
     * Held until the transaction ends, so that counting a project's admins and changing one is one
     * step. SQLite: nothing to do (a transaction is BEGIN IMMEDIATE: it runs alone).
     */
    lock: (_projectId: number) => undefined,
    list: (projectId: number): MemberListRow[] =>
      (list.all({ project: projectId }) as (Omit<MemberListRow, 'owner' | 'notifications'> & { owner: number; notifications: number })[]).map((r) => ({
        ...r,
        owner: Boolean(r.owner),
        notifications: Boolean(r.notifications),
      })),
    /** The member row's role (null: no row; an owner's access comes from being owner). */
    role: (projectId: number, userId: string) => (role.get(projectId, userId) as { role: ProjectRole } | undefined)?.role ?? null,
    /** false when the person is a member already. */
    add: (projectId: number, userId: string, role: ProjectRole, now: number) => add.run(projectId, userId, role, now).changes > 0,
    setRole: (projectId: number, userId: string, role: ProjectRole) => setRole.run(role, projectId, userId).changes > 0,
    remove: (projectId: number, userId: string) => remove.run(projectId, userId).changes > 0,
    /** The project's own admins (member rows; owners are admins of every project besides). */
    adminCount: (projectId: number) => (admins.get(projectId) as { n: number }).n,
    /** Everyone who may get the project's pushes (members and owners), with their choices. */
    recipients: (projectId: number): Recipient[] =>
      (recipients.all({ project: projectId }) as { user_id: string; role: ProjectRole; enabled: number; muted: string }[]).map((r) => ({
        user_id: r.user_id,
        role: r.role,
        enabled: Boolean(r.enabled),
        muted: JSON.parse(r.muted) as string[],
      })),
    prefs(userId: string, projectId: number): NotificationPrefs {
      const r = prefs.get(userId, projectId) as { enabled: number; muted: string } | undefined;
      return r ? { enabled: Boolean(r.enabled), muted: JSON.parse(r.muted) as string[] } : { enabled: true, muted: [] };
    },
    setPrefs: (userId: string, projectId: number, p: NotificationPrefs) =>
      void setPrefs.run(userId, projectId, p.enabled ? 1 : 0, JSON.stringify(p.muted)),
  };
}

const INVITE = `i.id, i.project_id, i.role, i.created_by, u.email AS created_by_email, i.created_at, i.expires_at, i.used_at, i.revoked_at
  FROM invites i LEFT JOIN users u ON u.id = i.created_by`;

export function invitesRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO invites (id, project_id, role, token_hash, created_by, created_at, expires_at)
    VALUES (@id, @projectId, @role, @tokenHash, @createdBy, @now, @expiresAt)`);
  const byId = db.prepare(`SELECT ${INVITE} WHERE i.id = ?`);
  const OPEN = 'i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > @now';
  const pending = db.prepare(`SELECT ${INVITE} WHERE i.project_id = @projectId AND ${OPEN}
      AND (@beforeAt IS NULL OR i.created_at < @beforeAt OR (i.created_at = @beforeAt AND i.id < @beforeId))
    ORDER BY i.created_at DESC, i.id DESC LIMIT @limit`);
  const pendingCount = db.prepare(`SELECT COUNT(*) AS n FROM invites i WHERE i.project_id = @projectId AND ${OPEN}`);
  const revokeBy = db.prepare(`UPDATE invites SET revoked_at = @now WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > @now
    AND created_by = @userId AND (@projectId IS NULL OR project_id = @projectId) RETURNING id, project_id, role`);
  const byToken = db.prepare(`SELECT ${INVITE} WHERE i.token_hash = ?`);
  const revoke = db.prepare('UPDATE invites SET revoked_at = ? WHERE project_id = ? AND id = ? AND used_at IS NULL AND revoked_at IS NULL');
  const use = db.prepare(`UPDATE invites SET used_at = @now, used_by = @userId
    WHERE token_hash = @hash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > @now RETURNING id`);
  return {
    create(row: NewInvite): InviteRow {
      insert.run(row);
      return byId.get(row.id) as InviteRow;
    },
    /** Open invites of a project, newest first, `limit` of them after `after`. */
    pending: (projectId: number, now: number, after: InviteCursor | null, limit: number) =>
      pending.all({ projectId, now, beforeAt: after?.createdAt ?? null, beforeId: after?.id ?? null, limit }) as InviteRow[],
    pendingCount: (projectId: number, now: number) => (pendingCount.get({ projectId, now }) as { n: number }).n,
    /** Revokes the open invites one person made (in one project, or everywhere with null); returns them. */
    revokeMadeBy: (projectId: number | null, userId: string, now: number) =>
      revokeBy.all({ projectId, userId, now }) as { id: string; project_id: number; role: ProjectRole }[],
    /** Any invite by its token's hash, used or not (the page says which). */
    byTokenHash: (hash: string) => byToken.get(hash) as InviteRow | undefined,
    revoke: (projectId: number, id: string, now: number) => revoke.run(now, projectId, id).changes > 0,
    /** Takes a valid invite for `userId` (once: a second taker gets null). */
    use(hash: string, userId: string, now: number): InviteRow | null {
      const r = use.get({ hash, userId, now }) as { id: string } | undefined;
      return r ? (byId.get(r.id) as InviteRow) : null;
    },
  };
}

export function auditRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO audit_log (project_id, at, actor_id, actor_email, kind, subject, detail, address)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  // A press's entry joined with its attempt: the Activity page says how it ended, and filters by it.
  const page = db.prepare(`SELECT a.id, a.at, a.actor_id, a.actor_email, a.kind, a.subject, a.detail, a.address,
      t.outcome AS attempt_outcome, t.reason AS attempt_reason, t.status_code AS attempt_status, t.id IS NOT NULL AS attempt_found
    FROM audit_log a
    LEFT JOIN events e ON a.kind = 'action.pressed' AND e.id = a.subject
    LEFT JOIN action_attempts t ON t.event_seq = e.seq AND t.action_key = json_extract(a.detail, '$.action') AND t.number = json_extract(a.detail, '$.attempt')
    WHERE a.project_id = @projectId AND (@before IS NULL OR a.id < @before) AND (@actorId IS NULL OR a.actor_id = @actorId)
      AND (@kinds IS NULL OR a.kind IN (SELECT value FROM json_each(@kinds)))
      AND (@outcome IS NULL OR (@outcome = 'refused' AND a.kind = 'action.refused') OR (a.kind = 'action.pressed' AND t.outcome = @outcome))
    ORDER BY a.id DESC LIMIT @limit`);
  return {
    append: (e: NewAuditEntry) =>
      void insert.run(e.projectId, e.at, e.actorId, e.actorEmail, e.kind, e.subject, e.detail === undefined ? null : JSON.stringify(e.detail), e.address),
    /** Newest first. */
    page: (q: AuditQuery) =>
      (page.all({ ...q, kinds: q.kinds === null ? null : JSON.stringify(q.kinds) }) as (Omit<AuditRow, 'attempt_found'> & { attempt_found: number })[]).map((r) => ({
        ...r,
        attempt_found: Boolean(r.attempt_found),
      })),
  };
}

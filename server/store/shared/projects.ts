/**
 * Projects, their members, invite links, the audit log and notification choices, written once for
 * both engines. The rule "owners of the installation are admins of every project" is stated here
 * once (`isOwner`, `roleInProject`, `projectPeople`) for every query of the store that needs it.
 */
import { sql } from 'kysely';
import type { ProjectRole } from '../../../contract/api.ts';
import { changed, fixedQuery, type Sql } from '../sql/db.ts';
import { bytewise, jsonInteger, jsonText } from '../sql/dialect.ts';
import { bool } from '../sql/schema.ts';
import type { AuditRow, InviteRow, NotificationPrefs, ProjectAccess } from '../records.ts';
import type { AuditRepository, InvitesRepository, MembersRepository, ProjectsRepository } from '../types.ts';
import type { KeysRevoked } from './accounts.ts';

/** The person `u` (users) is an owner of the installation. */
export const isOwner = sql<boolean>`(${sql.ref('u.role')} = 'owner')`;

/** The role of `u` in the project whose member row `m` is LEFT JOINed: owners are admins of every project. */
export const roleInProject = sql<ProjectRole>`CASE WHEN ${isOwner} THEN 'admin' ELSE ${sql.ref('m.role')} END`;

/**
 * Everyone in a project: its members, and the installation's owners with a member row or without.
 * `u`: the person; `m`: their member row (null for an owner without one).
 */
export const projectPeople = (db: Sql['db'], projectId: number) =>
  db
    .selectFrom('users as u')
    .leftJoin('project_members as m', (j) => j.onRef('m.user_id', '=', 'u.id').on('m.project_id', '=', projectId))
    .where((eb) => eb.or([eb('m.user_id', 'is not', null), isOwner]));

/** A person's notification choices from their notification_prefs row; no row: on, nothing muted. */
const choices = (n: { enabled: boolean | number | null; muted: string | null } | undefined): NotificationPrefs =>
  n?.enabled == null ? { enabled: true, muted: [] } : { enabled: bool(n.enabled), muted: JSON.parse(n.muted ?? '[]') as string[] };

const projectById = fixedQuery((db, p: { id: number }) => db.selectFrom('projects').select(['id', 'slug', 'name', 'created_at']).where('id', '=', p.id));

/** Who gets an event's push, with their role and choices: read for every device the worker sends to. */
const recipients = fixedQuery((db, p: { projectId: number }) =>
  projectPeople(db, p.projectId)
    .leftJoin('notification_prefs as n', (j) => j.onRef('n.user_id', '=', 'u.id').on('n.project_id', '=', p.projectId))
    .select(['u.id as user_id', roleInProject.as('role'), 'n.enabled', 'n.muted']),
);

/** `keysRevoked`: told when removing a project deleted its keys (see apiKeysRepository). */
export function projectsRepository(sqlh: Sql, keysRevoked: KeysRevoked = async () => {}): ProjectsRepository {
  const { db } = sqlh;
  const project = () => db.selectFrom('projects').select(['id', 'slug', 'name', 'created_at']);
  const withRole = ['p.id', 'p.slug', 'p.name', 'p.created_at', 'm.role as member_role'] as const;
  const secret = async (id: number) => (await db.selectFrom('projects').select('webhook_secret').where('id', '=', id).executeTakeFirst())?.webhook_secret ?? null;
  return {
    async create(slug, name, now) {
      return (
        (await db
          .insertInto('projects')
          .values({ slug, name, created_at: now })
          .onConflict((c) => c.column('slug').doNothing())
          .returning(['id', 'slug', 'name', 'created_at'])
          .executeTakeFirst()) ?? null
      );
    },
    bySlug: (slug) => project().where('slug', '=', slug).executeTakeFirst(),
    byId: async (id) => (await projectById(sqlh, { id })).rows[0],
    all: () => project().orderBy('id').execute(),
    forUser: (userId) =>
      db
        .selectFrom('projects as p')
        .innerJoin('project_members as m', 'm.project_id', 'p.id')
        .select(withRole)
        .where('m.user_id', '=', userId)
        .orderBy('p.id')
        .execute() as Promise<ProjectAccess[]>,
    access: (slug, userId) =>
      db
        .selectFrom('projects as p')
        .leftJoin('project_members as m', (j) => j.onRef('m.project_id', '=', 'p.id').on('m.user_id', '=', userId))
        .select(withRole)
        .where('p.slug', '=', slug)
        .executeTakeFirst(),
    async rename(id, name) {
      return changed(await db.updateTable('projects').set({ name }).where('id', '=', id).executeTakeFirst()) > 0;
    },
    async remove(id) {
      // Events (their actions, attempts and pushes go by cascade) with their live entries, and keys,
      // have no foreign key to the project; members, invites, audit, prefs and counts cascade from it.
      await db.deleteFrom('live_log').where('event_seq', 'in', db.selectFrom('events').select('seq').where('project_id', '=', id)).execute();
      await db.deleteFrom('events').where('project_id', '=', id).execute();
      const keys = await db.deleteFrom('api_keys').where('project_id', '=', id).returning('id').execute();
      if (keys.length > 0) await keysRevoked(keys.map((k) => k.id));
      return changed(await db.deleteFrom('projects').where('id', '=', id).executeTakeFirst()) > 0;
    },
    webhookSecret: secret,
    async setWebhookSecret(id, value) {
      await db.updateTable('projects').set({ webhook_secret: value }).where('id', '=', id).execute();
    },
    async setWebhookSecretIfAbsent(id, value) {
      // The UPDATE waits for a concurrent one to commit and then sees its secret: both agree on one.
      await db.updateTable('projects').set({ webhook_secret: value }).where('id', '=', id).where('webhook_secret', 'is', null).execute();
      return (await secret(id)) as string;
    },
  };
}

export function membersRepository(sqlh: Sql): MembersRepository {
  const { db, engine } = sqlh;
  /** `projectPeople` with each one's notification choice for the project (`n`). */
  const peopleWithPrefs = (projectId: number) =>
    projectPeople(db, projectId).leftJoin('notification_prefs as n', (j) => j.onRef('n.user_id', '=', 'u.id').on('n.project_id', '=', projectId));
  return {
    async lock(projectId) {
      // PostgreSQL: the project's row, locked to the end of the transaction, so two instances changing
      // its admins at once take turns. SQLite: a transaction (BEGIN IMMEDIATE) runs alone already.
      if (engine === 'postgres') await db.selectFrom('projects').select('id').where('id', '=', projectId).forUpdate().execute();
    },
    async list(projectId) {
      const rows = await peopleWithPrefs(projectId)
        .select((eb) => [
          'u.id as user_id',
          'u.name',
          'u.email',
          roleInProject.as('role'),
          isOwner.as('owner'),
          eb.fn.coalesce('m.created_at', 'u.created_at').as('created_at'),
          eb.selectFrom('sessions as s').select((s) => s.fn.max('s.last_seen_at').as('t')).whereRef('s.user_id', '=', 'u.id').as('last_active_at'),
          eb.exists(eb.selectFrom('push_subscriptions as d').select('d.id').whereRef('d.user_id', '=', 'u.id')).as('device'),
          'n.enabled',
          'n.muted',
        ])
        .orderBy('created_at')
        .orderBy(bytewise(engine, 'u.id'))
        .execute();
      return rows.map(({ enabled, muted, device, ...r }) => ({
        ...r,
        owner: bool(r.owner),
        created_at: Number(r.created_at),
        last_active_at: r.last_active_at ?? null,
        notifications: choices({ enabled, muted }).enabled && bool(device),
      }));
    },
    async role(projectId, userId) {
      return (await db.selectFrom('project_members').select('role').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst())?.role ?? null;
    },
    async add(projectId, userId, role, now) {
      const r = await db
        .insertInto('project_members')
        .values({ project_id: projectId, user_id: userId, role, created_at: now })
        .onConflict((c) => c.doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async setRole(projectId, userId, role) {
      return changed(await db.updateTable('project_members').set({ role }).where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst()) > 0;
    },
    async remove(projectId, userId) {
      return changed(await db.deleteFrom('project_members').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst()) > 0;
    },
    async adminCount(projectId) {
      const r = await db
        .selectFrom('project_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('m.project_id', '=', projectId)
        .where('m.role', '=', 'admin')
        .where((eb) => eb.not(isOwner))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async recipients(projectId) {
      const { rows } = await recipients(sqlh, { projectId });
      return rows.map(({ user_id, role, ...n }) => ({ user_id, role, ...choices(n) }));
    },
    async prefs(userId, projectId) {
      return choices(await db.selectFrom('notification_prefs').select(['enabled', 'muted']).where('user_id', '=', userId).where('project_id', '=', projectId).executeTakeFirst());
    },
    async setPrefs(userId, projectId, p) {
      await db
        .insertInto('notification_prefs')
        .values({ user_id: userId, project_id: projectId, enabled: p.enabled, muted: JSON.stringify(p.muted) })
        .onConflict((c) => c.columns(['user_id', 'project_id']).doUpdateSet((eb) => ({ enabled: eb.ref('excluded.enabled'), muted: eb.ref('excluded.muted') })))
        .execute();
    },
  };
}

/** An invite that may still be taken at `now` (`i`: the invites table or its alias). */
export const openInvite = (i: string, now: number) =>
  sql<boolean>`(${sql.ref(`${i}.used_at`)} IS NULL AND ${sql.ref(`${i}.revoked_at`)} IS NULL AND ${sql.ref(`${i}.expires_at`)} > ${now})`;

export function invitesRepository({ db, engine }: Sql): InvitesRepository {
  const invites = () =>
    db
      .selectFrom('invites as i')
      .leftJoin('users as u', 'u.id', 'i.created_by')
      .select(['i.id', 'i.project_id', 'i.role', 'i.created_by', 'u.email as created_by_email', 'i.created_at', 'i.expires_at', 'i.used_at', 'i.revoked_at']);
  const byId = async (id: string): Promise<InviteRow> => invites().where('i.id', '=', id).executeTakeFirstOrThrow();
  return {
    async create(row) {
      await db
        .insertInto('invites')
        .values({ id: row.id, project_id: row.projectId, role: row.role, token_hash: row.tokenHash, created_by: row.createdBy, created_at: row.now, expires_at: row.expiresAt })
        .execute();
      return byId(row.id);
    },
    pending(projectId, now, after, limit) {
      let q = invites().where('i.project_id', '=', projectId).where(openInvite('i', now));
      if (after) {
        q = q.where((eb) =>
          eb.or([eb('i.created_at', '<', after.createdAt), eb.and([eb('i.created_at', '=', after.createdAt), eb(bytewise(engine, 'i.id'), '<', after.id)])]),
        );
      }
      return q.orderBy('i.created_at', 'desc').orderBy(bytewise(engine, 'i.id'), 'desc').limit(limit).execute();
    },
    async pendingCount(projectId, now) {
      const r = await db
        .selectFrom('invites as i')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('i.project_id', '=', projectId)
        .where(openInvite('i', now))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async revokeMadeBy(projectId, userId, now) {
      let q = db.updateTable('invites').set({ revoked_at: now }).where(openInvite('invites', now)).where('created_by', '=', userId);
      if (projectId !== null) q = q.where('project_id', '=', projectId);
      return q.returning(['id', 'project_id', 'role']).execute();
    },
    byTokenHash: (hash) => invites().where('i.token_hash', '=', hash).executeTakeFirst(),
    async revoke(projectId, id, now) {
      const r = await db
        .updateTable('invites')
        .set({ revoked_at: now })
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return changed(r) > 0;
    },
    async use(hash, userId, now) {
      // One guarded UPDATE: of two takers at once, the second waits, re-checks used_at, and gets nothing.
      const r = await db
        .updateTable('invites')
        .set({ used_at: now, used_by: userId })
        .where('token_hash', '=', hash)
        .where(openInvite('invites', now))
        .returning('id')
        .executeTakeFirst();
      return r ? byId(r.id) : null;
    },
  };
}

export function auditRepository({ db, engine }: Sql): AuditRepository {
  return {
    async append(e) {
      await db
        .insertInto('audit_log')
        .values({
          project_id: e.projectId,
          at: e.at,
          actor_id: e.actorId,
          actor_email: e.actorEmail,
          kind: e.kind,
          subject: e.subject,
          detail: e.detail === undefined ? null : JSON.stringify(e.detail),
          address: e.address,
        })
        .execute();
    },
    async page(q) {
      if (q.kinds?.length === 0) return []; // no kind asked for matches nothing (and PostgreSQL refuses `IN ()`)
      // A press's entry joined with its attempt: the Activity page says how it ended, and filters by it.
      let query = db
        .selectFrom('audit_log as a')
        .leftJoin('events as e', (j) => j.on('a.kind', '=', 'action.pressed').onRef('e.id', '=', 'a.subject'))
        .leftJoin('action_attempts as t', (j) =>
          j
            .onRef('t.event_seq', '=', 'e.seq')
            .on('t.action_key', '=', jsonText(engine, 'a.detail', 'action'))
            // Only a press's detail has an attempt number (another kind's is not read as one).
            .on('t.number', '=', sql<number>`CASE WHEN ${sql.ref('a.kind')} = 'action.pressed' THEN ${jsonInteger(engine, 'a.detail', 'attempt')} END`),
        )
        .select((eb) => [
          'a.id',
          'a.at',
          'a.actor_id',
          'a.actor_email',
          'a.kind',
          'a.subject',
          'a.detail',
          'a.address',
          't.outcome as attempt_outcome',
          't.reason as attempt_reason',
          't.status_code as attempt_status',
          eb('t.id', 'is not', null).as('attempt_found'),
        ])
        .where('a.project_id', '=', q.projectId);
      if (q.before !== null) query = query.where('a.id', '<', q.before);
      if (q.actorId !== null) query = query.where('a.actor_id', '=', q.actorId);
      if (q.kinds !== null) query = query.where('a.kind', 'in', q.kinds);
      if (q.outcome === 'refused') query = query.where('a.kind', '=', 'action.refused');
      else if (q.outcome !== null) query = query.where('a.kind', '=', 'action.pressed').where('t.outcome', '=', q.outcome);
      const rows = await query.orderBy('a.id', 'desc').limit(q.limit).execute();
      return rows.map((r) => ({ ...r, kind: r.kind as AuditRow['kind'], attempt_found: bool(r.attempt_found) }));
    },
  };
}

/**
 * Projects (CONTRACT §7): the list a person sees (with each one's open counts), creating, renaming and
 * deleting them; a project's first-run progress; members and their roles; each person's notification
 * choices per project. Invites are ./invites.ts.
 */
import { visibleProjects } from './visible.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEFAULT_PROJECT, type MemberDto, type ProjectDto, type ProjectProgress } from '../../contract/api.ts';
import { changeRoleBody, createProjectBody, deleteProjectBody, renameProjectBody, slugFrom } from '../../contract/projects.ts';
import type { SessionAuth } from '../auth/session.ts';
import { ADMIN, doc, OWNER, projectOf, SIGNED_IN, VIEWER } from '../http/access.ts';
import { ApiError, badField } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore, StoreRepositories } from '../store/types.ts';
import type { MemberListRow, MemberRow, ProjectRow } from '../store/records.ts';
import { audit } from '../audit/log.ts';
import { inviteRoutes } from './invites.ts';
import { revokeWhatTheyMade } from './revokeMade.ts';
import { projectPaths } from '../http/projectPaths.ts';

export interface ProjectRoutesOptions {
  store: AppStore;
  auth: SessionAuth;
  now: () => number;
  /** Where invite and reset links point: from configuration, never from a request's headers. */
  linkBase: string;
}

const iso = (t: number) => new Date(Number(t)).toISOString();
type ProjectCounts = Pick<ProjectDto, 'open' | 'pressable'>;
const NOTHING_OPEN: ProjectCounts = { open: 0, pressable: 0 };
const projectDto = (p: ProjectRow, role: ProjectDto['role'], counts: ProjectCounts): ProjectDto => ({
  slug: p.slug,
  name: p.name,
  role,
  createdAt: iso(p.created_at),
  open: counts.open,
  pressable: counts.pressable,
});
const memberDto = (m: MemberListRow): MemberDto => ({
  userId: m.user_id,
  name: m.name,
  email: m.email,
  role: m.role,
  owner: Boolean(m.owner),
  joinedAt: iso(m.created_at),
  lastActiveAt: m.last_active_at === null ? null : iso(m.last_active_at),
  notifications: Boolean(m.notifications),
});

export const ownerBody = z.object({ owner: z.boolean({ error: 'must be true or false' }) });
/** `?revokeKeys=true`: removing someone also revokes the project's API keys they made. */
export const removeMemberQuery = z.object({ revokeKeys: z.enum(['true', 'false'], { error: 'must be true or false' }).optional() });

export const notificationsBody = z.object({
  enabled: z.boolean({ error: 'must be true or false' }),
  muted: z.array(z.string().max(64, { error: 'must be at most 64 characters' }), { error: 'must be a list of categories' }).max(200, { error: 'must list at most 200 categories' }),
});

export async function projectRoutes(app: FastifyInstance, opts: ProjectRoutesOptions) {
  const { store, auth, now } = opts;

  /** Projects with a person's role in each, and each one's open counts (one query for them all). */
  async function projectDtos(projects: { row: ProjectRow; role: ProjectDto['role'] }[]): Promise<ProjectDto[]> {
    const counts = await store.overview.counts(projects.map((p) => p.row.id), now());
    return projects.map((p) => projectDto(p.row, p.role, counts.get(p.row.id) ?? NOTHING_OPEN));
  }

  const list = doc(SIGNED_IN, { tag: 'Projects', summary: 'Your projects, with your role and the open events and pressable actions in each' });
  app.get('/api/projects', list, async (request): Promise<{ projects: ProjectDto[] }> => {
    return { projects: await projectDtos(await visibleProjects(store, auth.requireUser(request))) };
  });

  app.post('/api/projects', doc(OWNER, { tag: 'Projects', summary: 'Create a project', body: createProjectBody, status: 201 }), async (request, reply): Promise<ProjectDto> => {
    const user = auth.requireUser(request);
    const body = parseOr400(createProjectBody, request.body);
    const created = await store.transaction(async (tx) => {
      let project: ProjectRow | null = null;
      if (body.slug !== undefined) project = await tx.projects.create(body.slug, body.name, now());
      else {
        // A slug made from the name, numbered when taken: "Ops", then ops, ops-2, ops-3, …
        const base = slugFrom(body.name);
        for (let n = 1; project === null && n < 1000; n++) project = await tx.projects.create(n === 1 ? base : `${base.slice(0, 36)}-${n}`, body.name, now());
      }
      if (project) await audit(tx, project.id, user, 'project.created', project.name, now(), { slug: project.slug });
      return project;
    });
    if (!created) throw new ApiError(409, 'slug_taken', `slug ${body.slug} is taken by another project`, 'slug');
    reply.code(201);
    return projectDto(created, 'admin', NOTHING_OPEN);
  });

  app.get('/api/projects/:slug', doc(VIEWER, { tag: 'Projects', summary: 'One project' }), async (request): Promise<ProjectDto> => {
    const project = projectOf(request);
    return (await projectDtos([{ row: project, role: project.role }]))[0]!;
  });

  for (const url of projectPaths('progress', null)) {
    const progress = doc(VIEWER, { tag: 'Projects', summary: 'First-run progress: a key, an event, a press, a teammate' });
    app.get(url, progress, async (request): Promise<ProjectProgress> => store.overview.progress(projectOf(request).id, now()));
  }

  app.patch('/api/projects/:slug', doc(ADMIN, { tag: 'Projects', summary: 'Rename a project', body: renameProjectBody }), async (request): Promise<ProjectDto> => {
    const user = auth.requireUser(request);
    const project = projectOf(request);
    const body = parseOr400(renameProjectBody, request.body);
    await store.transaction(async (tx) => {
      await tx.projects.rename(project.id, body.name);
      await audit(tx, project.id, user, 'project.renamed', body.name, now(), { from: project.name });
    });
    return (await projectDtos([{ row: { ...project, name: body.name }, role: project.role }]))[0]!;
  });

  const remove = doc(OWNER, { tag: 'Projects', summary: 'Delete a project and everything in it (type its name to confirm)', body: deleteProjectBody, status: 204 });
  app.delete('/api/projects/:slug', remove, async (request, reply) => {
    const params = request.params as { slug: string };
    const project = await store.projects.bySlug(params.slug);
    if (!project) throw new ApiError(404, 'not_found', 'no such project');
    const body = parseOr400(deleteProjectBody, request.body);
    if (body.confirm !== project.name) throw badField('confirm', `must be the project's name, "${project.name}"`);
    if (project.slug === DEFAULT_PROJECT) throw new ApiError(409, 'default_project', 'the default project cannot be deleted (it answers the routes without a project)');
    const members = await store.members.list(project.id);
    await store.transaction(async (tx) => {
      await tx.apiKeys.revokeProject(project.id, now());
      await tx.projects.remove(project.id);
    });
    for (const m of members) await store.announceAccess(m.user_id);
    request.log.info({ project: project.slug }, 'project deleted');
    reply.code(204).send();
  });

  app.get('/api/projects/:slug/members', doc(ADMIN, { tag: 'Members', summary: 'Members and their roles' }), async (request): Promise<{ members: MemberDto[] }> => ({
    members: (await store.members.list(projectOf(request).id)).map(memberDto),
  }));

  /**
   * Inside the change's transaction, with the project locked (two instances demoting its last two
   * admins at once take turns, and the second sees what the first left): the member a change is
   * about, refused when it may not be made (owners), and whether they are its last admin.
   */
  async function target(tx: StoreRepositories, projectId: number, userId: string, by: { role: string }) {
    await tx.members.lock(projectId);
    const member = (await tx.members.list(projectId)).find((m) => m.user_id === userId);
    if (!member) throw new ApiError(404, 'not_found', 'no such member in this project');
    if (member.owner) {
      if (by.role !== 'owner') throw new ApiError(403, 'forbidden', 'an owner of the installation cannot be changed by an admin (role: owner)');
      throw new ApiError(409, 'owner_member', 'an owner is admin of every project; make them a plain account first');
    }
    return { member, lastAdmin: member.role === 'admin' && (await tx.members.adminCount(projectId)) <= 1 };
  }

  const changeRole = doc(ADMIN, { tag: 'Members', summary: 'Change a member’s role', body: changeRoleBody });
  app.patch<{ Params: { slug: string; userId: string } }>('/api/projects/:slug/members/:userId', changeRole, async (request): Promise<MemberDto> => {
    const user = auth.requireUser(request);
    const project = projectOf(request);
    const body = parseOr400(changeRoleBody, request.body);
    const member = await store.transaction(async (tx) => {
      const { member, lastAdmin } = await target(tx, project.id, request.params.userId, user);
      if (lastAdmin && body.role !== 'admin') throw new ApiError(409, 'last_admin', 'a project keeps at least one admin: make someone else admin first', 'role');
      if (member.role === body.role) return member;
      const t = now();
      await tx.members.setRole(project.id, member.user_id, body.role);
      await audit(tx, project.id, user, 'member.role_changed', member.email, t, { from: member.role, to: body.role });
      // A reset link made for them was made for their old roles.
      await tx.passwordResets.removeForUser(member.user_id);
      if (member.role === 'admin') await revokeWhatTheyMade(tx, project.id, member, user, t, false);
      return member;
    });
    await store.announceAccess(member.user_id);
    return memberDto({ ...member, role: body.role });
  });

  const removeMember = doc(ADMIN, { tag: 'Members', summary: 'Remove a member', status: 204 });
  app.delete<{ Params: { slug: string; userId: string } }>('/api/projects/:slug/members/:userId', removeMember, async (request, reply) => {
    const user = auth.requireUser(request);
    const project = projectOf(request);
    const { revokeKeys } = parseOr400(removeMemberQuery, request.query);
    const member = await store.transaction(async (tx) => {
      const { member, lastAdmin } = await target(tx, project.id, request.params.userId, user);
      if (lastAdmin) throw new ApiError(409, 'last_admin', 'a project keeps at least one admin: make someone else admin first');
      const t = now();
      await tx.members.remove(project.id, member.user_id);
      await audit(tx, project.id, user, 'member.removed', member.email, t, { role: member.role });
      await tx.passwordResets.removeForUser(member.user_id);
      await revokeWhatTheyMade(tx, project.id, member, user, t, revokeKeys === 'true');
      return member;
    });
    // Their open streams close now, on every instance; their next request finds no project.
    await store.announceAccess(member.user_id);
    reply.code(204).send();
  });

  // Owners name other owners (admins of every project), and make them plain accounts again.
  const makeOwner = doc(OWNER, { tag: 'Members', summary: 'Make someone an owner of the installation, or not', body: ownerBody });
  app.put<{ Params: { id: string } }>('/api/users/:id/owner', makeOwner, async (request) => {
    const user = auth.requireUser(request);
    const body = parseOr400(ownerBody, request.body);
    const changed = await store.transaction(async (tx) => {
      // Counting owners and changing one is one step, on every instance.
      await tx.users.lockOwners();
      const target = await tx.users.byId(request.params.id);
      if (!target) throw new ApiError(404, 'not_found', 'no such account');
      if (!body.owner && target.role === 'owner' && (await tx.users.ownerCount()) <= 1) return null;
      await tx.users.setRole(target.id, body.owner ? 'owner' : 'member');
      if ((target.role === 'owner') === body.owner) return target;
      await tx.passwordResets.removeForUser(target.id);
      if (!body.owner) {
        // A plain account again: what they made as an owner in projects they do not administer ends.
        const t = now();
        for (const p of await tx.projects.all()) {
          if ((await tx.members.role(p.id, target.id)) === 'admin') continue;
          const row: MemberRow = { user_id: target.id, name: target.name, email: target.email, role: 'viewer', owner: false, created_at: t };
          await revokeWhatTheyMade(tx, p.id, row, user, t, false);
        }
      }
      return target;
    });
    if (!changed) throw new ApiError(409, 'last_owner', 'the installation keeps at least one owner: name another first', 'owner');
    await store.announceAccess(changed.id);
    request.log.info({ userId: changed.id, owner: body.owner }, 'owner status changed');
    return { id: changed.id, owner: body.owner };
  });

  app.get('/api/projects/:slug/notifications', doc(VIEWER, { tag: 'Push', summary: 'Your push settings for a project' }), async (request) =>
    store.members.prefs(auth.requireUser(request).id, projectOf(request).id),
  );

  const setNotifications = doc(VIEWER, { tag: 'Push', summary: 'Turn a project’s pushes on or off; mute categories', body: notificationsBody });
  app.put('/api/projects/:slug/notifications', setNotifications, async (request) => {
    const body = parseOr400(notificationsBody, request.body);
    const prefs = { enabled: body.enabled, muted: [...new Set(body.muted)] };
    await store.members.setPrefs(auth.requireUser(request).id, projectOf(request).id, prefs);
    return prefs;
  });

  await app.register(inviteRoutes, opts);
}

/**
 * One-time password-reset links (no mail server: an admin makes one and passes it on).
 *
 * Who may reset whom — an admin's power never leaves their project:
 * - an owner may reset anyone;
 * - an admin of a project may reset a member of it who is not an owner and belongs to no other
 *   project (someone who is also in another project is, there, out of this admin's reach: only an
 *   owner resets them).
 * The link keeps who made it, in which project, and the target's state then (password, owner status,
 * memberships). Using it checks all of that again: the maker must still be allowed to make it, and
 * the target must be as they were — so a link dies when the target's password or roles change, when
 * either of them leaves the project, or when the maker loses the admin role. One open link per
 * account: a new one ends the one before. Removals and role changes also delete links at once
 * (`endResetLinks`), so no stale row waits for its expiry.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { newPassword } from '../../contract/auth.ts';
import { ADMIN, doc, projectOf, PUBLIC } from '../http/access.ts';
import { ApiError } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import { audit } from '../audit/log.ts';
import type { AppStore, StoreRepositories } from '../store/types.ts';
import type { PasswordResetRow, UserRow } from '../store/records.ts';
import { hashPassword } from './passwords.ts';
import { publicMe, type SessionAuth } from './session.ts';
import { refuseIfLimited, signInLimiter } from './signInLimiter.ts';
import { newSecret, sha256 } from './tokens.ts';

export const RESET_TTL_MS = 24 * 60 * 60 * 1000;

export const resetBody = z.object({
  token: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(200, { error: 'is not valid' }),
  password: newPassword,
});

type Repos = Pick<StoreRepositories, 'users' | 'members' | 'projects'>;

/** Why `maker` may not stand behind a reset link for `target` made in `projectId` (null: they may). */
export async function whyNotReset(store: Repos, maker: UserRow | undefined, target: UserRow | undefined, projectId: number | null): Promise<string | null> {
  if (!target) return 'no such account';
  if (!maker) return 'the person who made it no longer has an account';
  if (maker.role === 'owner') return null;
  if (target.role === 'owner') return "an owner's password can only be reset by an owner (role: owner)";
  if (projectId === null || (await store.members.role(projectId, maker.id)) !== 'admin') return 'only an admin of the project may reset the password of its members (role: admin)';
  const projects = await store.projects.forUser(target.id);
  if (!projects.some((p) => p.id === projectId)) return 'no such member in this project';
  if (projects.length > 1) return 'this person belongs to other projects too: only an owner can reset their password (role: owner)';
  return null;
}

/** The target's state that a link is bound to: password, owner status, email, every membership. */
export async function resetFingerprint(store: Repos, user: UserRow): Promise<string> {
  const projects = (await store.projects.forUser(user.id)).map((p) => `${p.id}:${p.member_role}`).sort();
  return sha256(JSON.stringify([user.password_hash, user.role, user.email.toLowerCase(), projects]));
}

/** Why a stored link cannot be used now (null: it can). */
async function whyNotUse(store: Repos, row: PasswordResetRow, now: number): Promise<string | null> {
  if (row.expires_at <= now) return 'this reset link has expired; ask an admin for a new one';
  const target = await store.users.byId(row.user_id);
  const maker = row.created_by === null ? undefined : await store.users.byId(row.created_by);
  const why = await whyNotReset(store, maker, target, row.project_id);
  if (why) return 'this reset link is no longer valid: whoever made it may no longer reset this account; ask an admin for a new one';
  if ((await resetFingerprint(store, target!)) !== row.fingerprint) {
    return "this reset link is no longer valid: the account's password or roles changed since it was made; ask an admin for a new one";
  }
  return null;
}

/**
 * Ends the reset links that a change makes stale: the ones for `userId` (their roles changed or they
 * left) and the ones they made in `projectId` (null: anywhere) when they lose the right to make them.
 */
export async function endResetLinks(tx: Pick<StoreRepositories, 'passwordResets'>, userId: string, madeIn: number | null | false): Promise<void> {
  await tx.passwordResets.removeForUser(userId);
  if (madeIn !== false) await tx.passwordResets.removeMadeBy(userId, madeIn);
}

const INVALID = (message = 'this reset link was used, has expired or is not valid; ask an admin for a new one') =>
  new ApiError(410, 'reset_link_invalid', message);

export async function passwordResetRoutes(app: FastifyInstance, opts: { store: AppStore; auth: SessionAuth; now: () => number; linkBase: string }) {
  const { store, auth, now } = opts;
  const limiter = signInLimiter(store.buckets, now);

  const makeLink = doc(ADMIN, { tag: 'Members', summary: 'A one-time password reset link for a member', status: 201 });
  app.post<{ Params: { slug: string; userId: string } }>('/api/projects/:slug/members/:userId/password-reset', makeLink, async (request, reply) => {
    const by = auth.requireUser(request);
    const project = projectOf(request);
    const t = now();
    const token = newSecret();
    const target = await store.transaction(async (tx) => {
      const member = (await tx.members.list(project.id)).find((m) => m.user_id === request.params.userId);
      if (!member) throw new ApiError(404, 'not_found', 'no such member in this project');
      const [maker, target] = [await tx.users.byId(by.id), await tx.users.byId(member.user_id)];
      const why = await whyNotReset(tx, maker, target, project.id);
      if (why) throw new ApiError(403, 'forbidden', why);
      await tx.passwordResets.replace({
        token_hash: sha256(token),
        user_id: target!.id,
        project_id: project.id,
        created_by: by.id,
        created_at: t,
        expires_at: t + RESET_TTL_MS,
        fingerprint: await resetFingerprint(tx, target!),
      });
      await audit(tx, project.id, by, 'member.password_reset', target!.email, t);
      return target!;
    });
    request.log.info({ userId: target.id }, 'password reset link made');
    reply.code(201);
    // From configuration only: a Host header chosen by whoever reached the server must not decide
    // where a reset token is sent.
    return { url: `${opts.linkBase.replace(/\/$/, '')}/reset-password#token=${token}`, expiresAt: new Date(t + RESET_TTL_MS).toISOString() };
  });

  const useLink = doc(PUBLIC, { tag: 'Account', summary: 'Set a new password with a reset link an admin made', body: resetBody });
  app.post('/api/auth/reset-password', useLink, async (request, reply) => {
    refuseIfLimited(await limiter.checkAddress(request.ip));
    const body = parseOr400(resetBody, request.body);
    // Used once: only the request that removes it may use it, whatever happens next.
    const row = await store.passwordResets.take(sha256(body.token));
    if (!row) {
      await limiter.failedAddress(request.ip);
      throw INVALID();
    }
    const early = await whyNotUse(store, row, now());
    if (early) throw INVALID(early);
    // OIDC_ONLY: a reset link signs in owners alone (the link is spent either way).
    const person = await store.users.byId(row.user_id);
    if (person) auth.refuseUnlessOwner(person);
    const passwordHash = await hashPassword(body.password);
    const user = await store.transaction(async (tx) => {
      // Checked again with the change: nothing may have slipped in while the password was hashed.
      const why = await whyNotUse(tx, row, now());
      if (why) throw INVALID(why);
      const target = (await tx.users.byId(row.user_id))!;
      await tx.users.setPassword(target.id, passwordHash);
      await tx.sessions.removeOthers(target.id, null);
      await tx.passwordResets.removeForUser(target.id);
      if (row.project_id !== null) await audit(tx, row.project_id, { ...target, address: request.ip }, 'member.password_reset_used', target.email, now());
      return target;
    });
    await store.announceAccess(user.id);
    await auth.issue(reply, user.id);
    return publicMe(user);
  });
}

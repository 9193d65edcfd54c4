/**
 * A person's own account: name, email, password, and signing out their other sessions; and the
 * one-time password-reset link an admin makes for a member (no mail server: the admin passes it on).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Me } from '../../contract/api.ts';
import { email, newPassword } from '../../contract/auth.ts';
import { ADMIN, projectOf, PUBLIC, SIGNED_IN } from '../http/access.ts';
import { ApiError } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import { audit } from '../projects/audit.ts';
import type { AppStore } from '../store/appStore.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { publicMe, type SessionAuth } from './session.ts';
import { newSecret, sha256 } from './tokens.ts';

const RESET_TTL_MS = 24 * 60 * 60 * 1000;
const resetSetting = (token: string) => `password_reset:${sha256(token)}`;

const current = z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(1024, { error: 'is too long' });
export const nameBody = z.object({ name: z.string({ error: 'is required' }).trim().max(80, { error: 'must be at most 80 characters' }) });
export const passwordBody = z.object({ currentPassword: current, password: newPassword });
export const emailBody = z.object({ currentPassword: current, email });
export const resetBody = z.object({ token: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(200, { error: 'is not valid' }), password: newPassword });

export async function accountRoutes(app: FastifyInstance, opts: { store: AppStore; auth: SessionAuth; now: () => number; publicUrl: string | null }) {
  const { store, auth, now } = opts;

  /** The current password, checked (a stolen session alone cannot take the account over). */
  async function checkPassword(userId: string, password: string) {
    const row = await store.users.byId(userId);
    if (!row || !(await verifyPassword(password, row.password_hash))) {
      throw new ApiError(403, 'wrong_password', 'the current password is not right', 'currentPassword');
    }
  }

  app.patch('/api/account', SIGNED_IN, async (request): Promise<Me> => {
    const user = auth.requireUser(request);
    const body = parseOr400(nameBody, request.body);
    await store.users.setName(user.id, body.name);
    return publicMe({ ...user, name: body.name });
  });

  app.post('/api/account/password', SIGNED_IN, async (request) => {
    const user = auth.requireUser(request);
    const body = parseOr400(passwordBody, request.body);
    await checkPassword(user.id, body.currentPassword);
    await store.users.setPassword(user.id, await hashPassword(body.password));
    // A changed password ends every other session: whoever knew the old one is out.
    const ended = await store.sessions.removeOthers(user.id, user.sessionHash);
    await store.announceAccess(user.id);
    return { otherSessionsEnded: ended };
  });

  app.post('/api/account/email', SIGNED_IN, async (request): Promise<Me> => {
    const user = auth.requireUser(request);
    const body = parseOr400(emailBody, request.body);
    await checkPassword(user.id, body.currentPassword);
    if (!(await store.users.setEmail(user.id, body.email))) {
      throw new ApiError(409, 'email_taken', 'another account has this email', 'email');
    }
    return publicMe({ ...user, email: body.email });
  });

  app.post('/api/account/sign-out-others', SIGNED_IN, async (request) => {
    const user = auth.requireUser(request);
    const ended = await store.sessions.removeOthers(user.id, user.sessionHash);
    await store.announceAccess(user.id);
    return { otherSessionsEnded: ended };
  });

  app.post<{ Params: { slug: string; userId: string } }>('/api/projects/:slug/members/:userId/password-reset', ADMIN, async (request, reply) => {
    const by = auth.requireUser(request);
    const project = projectOf(request);
    const member = (await store.members.list(project.id)).find((m) => m.user_id === request.params.userId);
    if (!member) throw new ApiError(404, 'not_found', 'no such member in this project');
    if (member.owner && by.role !== 'owner') throw new ApiError(403, 'forbidden', "an owner's password can only be reset by an owner (role: owner)");
    const token = newSecret();
    await store.settings.set(resetSetting(token), JSON.stringify({ userId: member.user_id, expiresAt: now() + RESET_TTL_MS }));
    await audit(store, project.id, by, 'member.password_reset', member.email, now());
    const base = opts.publicUrl ?? `${request.protocol}://${request.host}`;
    reply.code(201);
    return { url: `${base.replace(/\/$/, '')}/reset-password#token=${token}`, expiresAt: new Date(now() + RESET_TTL_MS).toISOString() };
  });

  app.post('/api/auth/reset-password', PUBLIC, async (request, reply) => {
    const body = parseOr400(resetBody, request.body);
    const key = resetSetting(body.token);
    const stored = await store.settings.get(key);
    const parsed = stored === null ? null : (JSON.parse(stored) as { userId: string; expiresAt: number });
    // Used once: only the request that removes it may use it.
    if (!parsed || parsed.expiresAt <= now() || !(await store.settings.remove(key))) {
      throw new ApiError(410, 'reset_link_invalid', 'this reset link was used, has expired or is not valid; ask an admin for a new one');
    }
    await store.users.setPassword(parsed.userId, await hashPassword(body.password));
    await store.sessions.removeOthers(parsed.userId, null);
    await store.announceAccess(parsed.userId);
    const user = await store.users.byId(parsed.userId);
    if (!user) throw new ApiError(410, 'reset_link_invalid', 'this account no longer exists');
    await auth.issue(reply, user.id);
    return publicMe(user);
  });
}

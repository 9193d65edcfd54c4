/**
 * A person's own account: name, email, password, and signing out their other sessions. Reset links
 * are ./passwordResets.ts.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Me } from '../../contract/api.ts';
import { email, newPassword, personName } from '../../contract/auth.ts';
import { LOCALES } from '../../contract/locales.ts';
import { doc, SIGNED_IN } from '../http/access.ts';
import { ApiError } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore } from '../store/types.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { publicMe, type SessionAuth, type SessionUser } from './session.ts';
import { refuseIfLimited, signInLimiter } from './signInLimiter.ts';

const current = z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(1024, { error: 'is too long' });
/** PATCH /api/account: the name, the language (null: the browser's), or both. */
export const accountBody = z
  .object({
    name: personName.optional(),
    locale: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}, or null` }).nullable().optional(),
  })
  .refine((b) => b.name !== undefined || b.locale !== undefined, { error: 'is required (or locale)', path: ['name'] });
export const passwordBody = z.object({ currentPassword: current, password: newPassword });
export const emailBody = z.object({ currentPassword: current, email });

export async function accountRoutes(app: FastifyInstance, opts: { store: AppStore; auth: SessionAuth; now: () => number }) {
  const { store, auth, now } = opts;
  const limiter = signInLimiter(store.buckets, now);

  /**
   * The current password, checked (a stolen session alone cannot take the account over). Wrong ones
   * count like failed sign-ins, so a stolen session cannot guess the password either.
   */
  async function checkPassword(user: SessionUser, password: string) {
    refuseIfLimited(await limiter.check(user.email.toLowerCase(), user.address));
    const row = await store.users.byId(user.id);
    if (!row || !(await verifyPassword(password, row.password_hash))) {
      await limiter.failed(user.email.toLowerCase(), user.address);
      throw new ApiError(403, 'wrong_password', 'the current password is not right', 'currentPassword');
    }
  }

  app.patch('/api/account', doc(SIGNED_IN, { tag: 'Account', summary: 'Change your name or your language', body: accountBody }), async (request): Promise<Me> => {
    const user = auth.requireUser(request);
    const body = parseOr400(accountBody, request.body);
    if (body.name !== undefined) await store.users.setName(user.id, body.name);
    if (body.locale !== undefined) await store.users.setLocale(user.id, body.locale);
    return publicMe({ ...user, ...(body.name === undefined ? {} : { name: body.name }), ...(body.locale === undefined ? {} : { locale: body.locale }) });
  });

  app.post('/api/account/password', doc(SIGNED_IN, { tag: 'Account', summary: 'Change your password', body: passwordBody }), async (request) => {
    const user = auth.requireUser(request);
    const body = parseOr400(passwordBody, request.body);
    await checkPassword(user, body.currentPassword);
    const passwordHash = await hashPassword(body.password);
    // A changed password ends every other session (whoever knew the old one is out) and any open reset link.
    const ended = await store.transaction(async (tx) => {
      await tx.users.setPassword(user.id, passwordHash);
      await tx.passwordResets.removeForUser(user.id);
      return tx.sessions.removeOthers(user.id, user.sessionHash);
    });
    await store.announceAccess(user.id);
    return { otherSessionsEnded: ended };
  });

  app.post('/api/account/email', doc(SIGNED_IN, { tag: 'Account', summary: 'Change your email', body: emailBody }), async (request): Promise<Me> => {
    const user = auth.requireUser(request);
    const body = parseOr400(emailBody, request.body);
    await checkPassword(user, body.currentPassword);
    const changed = await store.transaction(async (tx) => {
      if (!(await tx.users.setEmail(user.id, body.email))) return null;
      await tx.passwordResets.removeForUser(user.id);
      // The email is how one signs in: every other session ends with the old one.
      return tx.sessions.removeOthers(user.id, user.sessionHash);
    });
    if (changed === null) {
      // Said without telling whether an account has it (any member could probe other projects' people);
      // a probe costs a failed attempt in the limiter.
      await limiter.failed(user.email.toLowerCase(), user.address);
      throw new ApiError(409, 'email_unavailable', 'this email cannot be used; choose another', 'email');
    }
    await store.announceAccess(user.id);
    return publicMe({ ...user, email: body.email });
  });

  app.post('/api/account/sign-out-others', doc(SIGNED_IN, { tag: 'Account', summary: 'End your other sessions' }), async (request) => {
    const user = auth.requireUser(request);
    const ended = await store.sessions.removeOthers(user.id, user.sessionHash);
    await store.announceAccess(user.id);
    return { otherSessionsEnded: ended };
  });
}

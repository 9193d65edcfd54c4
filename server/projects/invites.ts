/**
 * Invite links (CONTRACT §7): an admin makes one for a role in a project (7 days, used once,
 * revocable); whoever opens it joins — with a new account, or with one click when signed in. The token
 * travels in the link's fragment and in request bodies, never in a URL a server or proxy logs, and only
 * its hash is kept.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type CreatedInvite, effectiveRole, type InviteDto, type InviteInfo, type InvitePage, type Me } from '../../contract/api.ts';
import { acceptInviteBody, createInviteBody } from '../../contract/projects.ts';
import { hashPassword } from '../auth/passwords.ts';
import { publicMe, type SessionAuth } from '../auth/session.ts';
import { newSecret, sha256 } from '../auth/tokens.ts';
import { refuseIfLimited, signInLimiter } from '../auth/signInLimiter.ts';
import { ADMIN, doc, projectOf, PUBLIC } from '../http/access.ts';
import { rateLimiter } from '../http/rateLimiter.ts';
import { ApiError } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore, StoreRepositories } from '../store/types.ts';
import type { InviteRow, ProjectRow } from '../store/records.ts';
import { type Actor, audit } from '../audit/log.ts';

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Open invites a project may have at once (a 409 beyond: revoke some, or let them expire). */
export const MAX_PENDING_INVITES = 100;
/** A new account refused for an email that is taken: after this many, the invite is revoked. */
const TAKEN_EMAIL_TRIES = 3;

const iso = (t: number) => new Date(Number(t)).toISOString();
const inviteDto = (r: InviteRow): InviteDto => ({
  id: r.id,
  role: r.role,
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
  createdBy: r.created_by_email,
});

/** The link of an invite: the PWA's invite page, the token in the fragment. */
export const inviteUrl = (base: string, token: string) => `${base.replace(/\/$/, '')}/invite#token=${token}`;

/** Makes an invite (the route and the CLI): returns it with its token, shown once. */
export async function createInvite(
  tx: Pick<StoreRepositories, 'invites' | 'audit'>,
  project: ProjectRow,
  role: InviteRow['role'],
  by: Actor | null,
  now: number,
): Promise<{ invite: InviteRow; token: string }> {
  if ((await tx.invites.pendingCount(project.id, now)) >= MAX_PENDING_INVITES) {
    throw new ApiError(409, 'too_many_invites', `a project may have at most ${MAX_PENDING_INVITES} open invites: revoke some first`, 'role');
  }
  const token = newSecret();
  const invite = await tx.invites.create({ id: randomUUID(), projectId: project.id, role, tokenHash: sha256(token), createdBy: by?.id ?? null, now, expiresAt: now + INVITE_TTL_MS });
  await audit(tx, project.id, by, 'invite.created', role, now, { invite: invite.id });
  return { invite, token };
}

export const tokenBody = z.object({ token: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(200, { error: 'is not a valid invite' }) });

/** Why an invite cannot be used, as the page says it (null: it can). */
function unusable(invite: InviteRow | undefined, now: number): ApiError | null {
  if (!invite) return new ApiError(404, 'invite_not_found', 'this invite link is not valid');
  if (invite.revoked_at !== null) return new ApiError(410, 'invite_revoked', 'this invite was revoked; ask for a new one');
  if (invite.used_at !== null) return new ApiError(410, 'invite_used', 'this invite was already used; ask for a new one');
  if (invite.expires_at <= now) return new ApiError(410, 'invite_expired', 'this invite has expired; ask for a new one');
  return null;
}

/**
 * An invite stands only while whoever made it may still invite (an admin of its project, or an
 * owner): removing or demoting them revokes their invites, and this check holds even for a row that
 * escaped that (made by the CLI: no maker, nothing to check).
 */
async function makerGone(store: Pick<StoreRepositories, 'users' | 'members'>, invite: InviteRow): Promise<ApiError | null> {
  if (invite.created_by === null) return null;
  const maker = await store.users.byId(invite.created_by);
  if (maker && effectiveRole(maker, await store.members.role(invite.project_id, maker.id)) === 'admin') return null;
  return new ApiError(410, 'invite_revoked', 'this invite was revoked; ask for a new one');
}

export const invitesQuery = z.object({
  cursor: z.string().regex(/^\d{1,15}\.[0-9a-f-]{36}$/, { error: 'is not a valid cursor' }).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be from 1 to 200' }).max(200, { error: 'must be from 1 to 200' }).default(50),
});

export interface InviteRoutesOptions {
  store: AppStore;
  auth: SessionAuth;
  now: () => number;
  /** Where invite links point: from configuration only (PUBLIC_URL, or HOST and PORT). */
  linkBase: string;
}

export async function inviteRoutes(app: FastifyInstance, { store, auth, now, linkBase }: InviteRoutesOptions) {
  const limiter = signInLimiter(store.buckets, now);
  // Refills one try a week (an invite's life): the third taken email finds the bucket empty.
  const takenEmails = rateLimiter({ burst: TAKEN_EMAIL_TRIES - 1, perMinute: 1 / (7 * 24 * 60) }, store.buckets, now);

  /** A token that led nowhere counts against the address that sent it. */
  async function refused(request: FastifyRequest, why: ApiError): Promise<never> {
    if (why.code === 'invite_not_found') await limiter.failedAddress(request.ip);
    throw why;
  }

  app.get('/api/projects/:slug/invites', doc(ADMIN, { tag: 'Members', summary: 'Pending invites' }), async (request): Promise<InvitePage> => {
    const q = parseOr400(invitesQuery, request.query);
    const [at, id] = q.cursor === undefined ? [null, null] : [Number(q.cursor.slice(0, q.cursor.indexOf('.'))), q.cursor.slice(q.cursor.indexOf('.') + 1)];
    const rows = await store.invites.pending(projectOf(request).id, now(), at === null ? null : { createdAt: at, id: id! }, q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { invites: page.map(inviteDto), nextCursor: rows.length > q.limit && last ? `${last.created_at}.${last.id}` : null };
  });

  const make = doc(ADMIN, { tag: 'Members', summary: 'Make an invite link for one role (shown once)', body: createInviteBody, status: 201 });
  app.post('/api/projects/:slug/invites', make, async (request, reply): Promise<CreatedInvite> => {
    const user = auth.requireUser(request);
    const project = projectOf(request);
    const body = parseOr400(createInviteBody, request.body);
    const { invite, token } = await store.transaction((tx) => createInvite(tx, project, body.role, user, now()));
    reply.code(201);
    return { ...inviteDto(invite), url: inviteUrl(linkBase, token) };
  });

  app.delete<{ Params: { slug: string; id: string } }>('/api/projects/:slug/invites/:id', doc(ADMIN, { tag: 'Members', summary: 'Revoke an invite', status: 204 }), async (request, reply) => {
    const user = auth.requireUser(request);
    const project = projectOf(request);
    const revoked = await store.transaction(async (tx) => {
      const done = await tx.invites.revoke(project.id, request.params.id, now());
      if (done) await audit(tx, project.id, user, 'invite.revoked', null, now(), { invite: request.params.id });
      return done;
    });
    if (!revoked) throw new ApiError(404, 'not_found', 'no such pending invite');
    reply.code(204).send();
  });

  /** What the invite page shows: which project, which role, until when. */
  app.post('/api/invites/lookup', doc(PUBLIC, { tag: 'Members', summary: 'What an invite link is for', body: tokenBody }), async (request): Promise<InviteInfo> => {
    refuseIfLimited(await limiter.checkAddress(request.ip));
    const { token } = parseOr400(tokenBody, request.body);
    const invite = await store.invites.byTokenHash(sha256(token));
    const why = unusable(invite, now()) ?? (await makerGone(store, invite!));
    if (why) return refused(request, why);
    const project = (await store.projects.byId(invite!.project_id))!;
    return { project: { slug: project.slug, name: project.name }, role: invite!.role, expiresAt: iso(invite!.expires_at) };
  });

  /** Joins: signed in with an empty body, or with name, email and password for a new account. */
  const accept = doc(PUBLIC, { tag: 'Members', summary: 'Join with an invite link (signed in: with one click)', body: acceptInviteBody });
  app.post('/api/invites/accept', accept, async (request, reply: FastifyReply) => {
    refuseIfLimited(await limiter.checkAddress(request.ip));
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const { token } = parseOr400(tokenBody, raw);
    const hash = sha256(token);
    const signedIn = await auth.load(request);
    const newAccount = !(signedIn && raw.email === undefined && raw.password === undefined);
    const account = newAccount ? parseOr400(acceptInviteBody, raw) : null;
    // OIDC_ONLY: accounts are made by signing in through the provider; a signed-in person still joins.
    if (account) auth.refuseUnlessOwner({ role: 'member' });
    // The token first: without a usable invite, no password is hashed (that costs CPU).
    const found = await store.invites.byTokenHash(hash);
    const early = unusable(found, now()) ?? (await makerGone(store, found!));
    if (early) return refused(request, early);
    if (account && (await store.users.byEmail(account.email))) {
      // Said without telling whether the account exists, and counted: one invite cannot be used to
      // probe which emails have accounts (after a few tries it is revoked).
      await limiter.failedAddress(request.ip);
      if (!(await takenEmails.take(`invite-email:${found!.id}`)).ok) {
        await store.transaction(async (tx) => {
          if (await tx.invites.revoke(found!.project_id, found!.id, now())) {
            await audit(tx, found!.project_id, null, 'invite.revoked', null, now(), { invite: found!.id, reason: 'too many tries with emails that cannot be used' });
          }
        });
      }
      throw new ApiError(409, 'email_unavailable', 'this email cannot be used for a new account: if it is yours, sign in first, then open the link again', 'email');
    }
    const passwordHash = account ? await hashPassword(account.password) : null;
    const t = now();

    const joined = await store.transaction(async (tx) => {
      const invite = await tx.invites.byTokenHash(hash);
      const why = unusable(invite, t) ?? (await makerGone(tx, invite!));
      if (why) throw why;
      let user: Actor & Me;
      if (account) {
        if (await tx.users.byEmail(account.email)) {
          throw new ApiError(409, 'email_unavailable', 'this email cannot be used for a new account: if it is yours, sign in first, then open the link again', 'email');
        }
        user = { ...(await tx.users.create(account.email, passwordHash!, 'member', t, account.name)), locale: null, address: request.ip };
      } else user = signedIn!;
      // The guarded UPDATE: of two people opening one link at once, one joins.
      const used = await tx.invites.use(hash, user.id, t);
      if (!used) throw new ApiError(410, 'invite_used', 'this invite was already used; ask for a new one');
      const added = await tx.members.add(used.project_id, user.id, used.role, t);
      await audit(tx, used.project_id, user, 'invite.used', user.email, t, { invite: used.id, role: used.role });
      if (added) await audit(tx, used.project_id, user, 'member.added', user.email, t, { role: used.role });
      const project = (await tx.projects.byId(used.project_id))!;
      return { user, project };
    });
    // Their open streams end and come back with the new project (the All projects feed includes it).
    await store.announceAccess(joined.user.id);
    if (account) await auth.issue(reply, joined.user.id);
    reply.code(account ? 201 : 200);
    return { me: publicMe(joined.user), project: { slug: joined.project.slug, name: joined.project.name } };
  });
}

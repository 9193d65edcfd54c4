/** The session API: setup, sign-in, sign-out, who am I, and API keys. */
import type { FastifyInstance } from 'fastify';
import { type AuthStatus, effectiveRole, type Me, type RemoteImages } from '../../contract/api.ts';
import { createApiKeyBody, signInBody, stepUpBody } from '../../contract/auth.ts';
import { ownerSetupBody } from '../../contract/projects.ts';
import { DEFAULT_PROJECT_ID } from '../store/records.ts';
import { ApiError } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore as Store } from '../store/types.ts';
import { createApiKey, toApiKeyDto } from './apiKeys.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';
import { publicMe, type SessionAuth } from './session.ts';
import { refuseIfLimited, signInLimiter } from './signInLimiter.ts';
import { consumeSetupToken, setupPending, setupTokenMatches } from './setup.ts';
import { ADMIN, doc, PUBLIC, projectOf, SIGNED_IN } from '../http/access.ts';
import { audit } from '../audit/log.ts';
import { projectPaths } from '../http/projectPaths.ts';
import type { RelyingParty } from '../config.ts';
import { anyStepUpBody, passkeyStepUpBody } from '../../contract/passkeys.ts';
import { passkeyCeremonies, passkeyRoutes } from './passkeys.ts';
import { type OidcConfig, START_PATH } from './oidc/config.ts';
import { oidcRoutes } from './oidc/routes.ts';

/** Active API keys a project may have at once (a 409 beyond). */
export const MAX_KEYS_PER_PROJECT = 100;

export interface AuthRoutesOptions {
  store: Store;
  auth: SessionAuth;
  now: () => number;
  /** A session was signed out: whatever this process holds open for it (its live streams) ends. */
  sessionEnded: (userId: string, sessionHash: string) => void;
  remoteImages: RemoteImages;
  webhookTimeoutMs: number;
  /** Who passkeys belong to (PUBLIC_URL's host), or why passkeys cannot work here. */
  relyingParty: RelyingParty | { unavailable: string };
  /** Single sign-on (OIDC_*); null when it is not set up. */
  oidc: OidcConfig | null;
  /** Cookies are `Secure` (PUBLIC_URL is https). */
  secureCookies: boolean;
}

export async function authRoutes(app: FastifyInstance, { store, auth, now, sessionEnded, remoteImages, webhookTimeoutMs, relyingParty, oidc, secureCookies }: AuthRoutesOptions) {
  const limiter = signInLimiter(store.buckets, now);
  const passkeys = passkeyCeremonies({ store, now, relyingParty, limiter });
  await passkeyRoutes(app, { store, auth, now, relyingParty, limiter });
  await oidcRoutes(app, { store, auth, now, settings: oidc, limiter, secureCookies });

  app.get('/api/auth/status', doc(PUBLIC, { tag: 'Account', summary: 'Who is signed in; whether setup is needed' }), async (request): Promise<AuthStatus> => {
    const user = await auth.load(request);
    return {
      setupRequired: await setupPending(store),
      user: user ? publicMe(user) : null,
      sessionExpiresAt: user ? new Date(user.expiresAt).toISOString() : null,
      remoteImages,
      webhookTimeoutMs,
      oidc: oidc ? { name: oidc.name, startUrl: START_PATH } : null,
      passwordSignIn: oidc?.only ? 'owners' : 'everyone',
    };
  });

  const setup = doc(PUBLIC, {
    tag: 'Account',
    summary: "Create the first owner with the server's one-time setup token (and name them and the first project)",
    body: ownerSetupBody,
    status: 201,
  });
  app.post('/api/auth/setup', setup, async (request, reply): Promise<Me> => {
    refuseIfLimited(await limiter.checkAddress(request.ip));
    const body = parseOr400(ownerSetupBody, request.body);
    // The token first, before the password is hashed (that costs CPU): no setup pending, or a wrong
    // token, is a 403 at once, counted against the address.
    if (!(await setupTokenMatches(store, body.token))) {
      await limiter.failedAddress(request.ip);
      throw new ApiError(403, 'invalid_setup_token', 'this setup link was already used or is not valid');
    }
    const passwordHash = await hashPassword(body.password);
    const user = await store.transaction(async (tx) => {
      if (!(await consumeSetupToken(tx, body.token))) return null;
      const owner = await tx.users.create(body.email, passwordHash, 'owner', now(), body.name ?? '');
      const first = await tx.projects.byId(DEFAULT_PROJECT_ID);
      if (body.projectName && first && body.projectName !== first.name) {
        await tx.projects.rename(first.id, body.projectName);
        await audit(tx, first.id, { ...owner, address: request.ip }, 'project.renamed', body.projectName, now(), { from: first.name });
      }
      return owner;
    });
    if (!user) throw new ApiError(403, 'invalid_setup_token', 'this setup link was already used or is not valid');
    await auth.issue(reply, user.id);
    request.log.info({ userId: user.id }, 'owner account created');
    reply.code(201);
    return publicMe(user);
  });

  app.post('/api/auth/sign-in', doc(PUBLIC, { tag: 'Account', summary: 'Sign in: sets the session cookie', body: signInBody }), async (request, reply): Promise<Me> => {
    const body = parseOr400(signInBody, request.body);
    const email = body.email.toLowerCase();
    refuseIfLimited(await limiter.check(email, request.ip), 'too many failed sign-in attempts; wait and try again');
    const user = await store.users.byEmail(body.email);
    const ok = await verifyPassword(body.password, user?.password_hash ?? (await dummyHash()));
    if (!user || !ok) {
      await limiter.failed(email, request.ip);
      request.log.info('sign-in refused');
      throw new ApiError(401, 'invalid_credentials', 'wrong email or password');
    }
    // OIDC_ONLY: the password was right, but only an owner signs in with one.
    auth.refuseUnlessOwner(user);
    await auth.issue(reply, user.id);
    return publicMe(user);
  });

  const stepUp = doc(SIGNED_IN, {
    tag: 'Account',
    summary: "Confirm it's you (a passkey, or the password when you have none): presses the policy guards are allowed for its minutes",
    body: anyStepUpBody,
  });
  app.post('/api/auth/step-up', stepUp, async (request): Promise<{ provenAt: string }> => {
    const user = auth.requireUser(request);
    // A body with an assertion is a passkey's; any other is the password's (a missing one named as before).
    const raw = request.body;
    const withPasskey = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'assertion' in raw;
    const body = withPasskey ? parseOr400(passkeyStepUpBody, raw) : parseOr400(stepUpBody, raw);
    // The same budget as signing in: a stolen session cannot guess the password faster here.
    refuseIfLimited(await limiter.check(user.email, request.ip), 'too many wrong passwords; wait and try again');
    if ('assertion' in body) {
      await passkeys.proveWithPasskey(user, body.assertion, request);
    } else {
      // Whoever has a passkey proves it with the passkey (§10): a password learnt elsewhere is not enough.
      if ((await store.passkeys.count(user.id)) > 0) {
        throw new ApiError(403, 'passkey_required', "you have a passkey: confirm it's you with it (or sign in again)", 'assertion');
      }
      const account = await store.users.byId(user.id);
      if (!account || !(await verifyPassword(body.password, account.password_hash))) {
        await limiter.failed(user.email, request.ip);
        // 403, not 401: the session stands; only this proof failed.
        throw new ApiError(403, 'wrong_password', 'that is not your password', 'password');
      }
    }
    const at = now();
    await store.transaction(async (tx) => {
      await tx.sessions.prove(user.sessionHash, at);
      // Audited in the project it was asked for, when the person is in it.
      const project = body.project === undefined ? undefined : await tx.projects.access(body.project, user.id);
      if (project && effectiveRole(user, project.member_role) !== null) {
        await audit(tx, project.id, user, 'auth.step_up', user.email, at, { method: 'assertion' in body ? 'passkey' : 'password' });
      }
    });
    return { provenAt: new Date(at).toISOString() };
  });

  app.post('/api/auth/sign-out', doc(PUBLIC, { tag: 'Account', summary: 'Sign out: ends the session', status: 204 }), async (request, reply) => {
    // Its live streams end with it, on every tab.
    const user = await auth.load(request);
    if (user) sessionEnded(user.id, user.sessionHash);
    await auth.end(request, reply);
    reply.code(204).send();
  });

  for (const url of projectPaths('keys')) {
    app.get(url, doc(ADMIN, { tag: 'Keys', summary: 'The project’s API keys' }), async (request) => ({
      keys: (await store.apiKeys.list(projectOf(request).id)).map(toApiKeyDto),
    }));

    const create = doc(ADMIN, { tag: 'Keys', summary: 'Create an API key (shown once), scope ingest or read', body: createApiKeyBody, status: 201 });
    app.post(url, create, async (request, reply) => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const body = parseOr400(createApiKeyBody, request.body);
      const created = await store.transaction(async (tx) => {
        if ((await tx.apiKeys.activeCount(project.id)) >= MAX_KEYS_PER_PROJECT) {
          throw new ApiError(409, 'too_many_keys', `a project may have at most ${MAX_KEYS_PER_PROJECT} active API keys: revoke some first`, 'name');
        }
        const key = await createApiKey(tx, project.id, body.name, user.id, now(), body.scope);
        await audit(tx, project.id, user, 'key.created', key.name, now(), { prefix: key.prefix, scope: key.scope });
        return key;
      });
      reply.code(201);
      return created;
    });
  }

  for (const url of projectPaths('keys/:id')) {
    app.delete<{ Params: { id: string } }>(url, doc(ADMIN, { tag: 'Keys', summary: 'Revoke an API key', status: 204 }), async (request, reply) => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const revoked = await store.transaction(async (tx) => {
        const name = await tx.apiKeys.revoke(project.id, request.params.id, now());
        if (name !== null) await audit(tx, project.id, user, 'key.revoked', name, now());
        return name;
      });
      if (revoked === null) throw new ApiError(404, 'not_found', 'no such API key');
      reply.code(204).send();
    });
  }
}

/** The session API: setup, sign-in, sign-out, who am I, and API keys. */
import type { FastifyInstance } from 'fastify';
import type { AuthStatus, Me } from '../../contract/api.ts';
import { createApiKeyBody, setupBody, signInBody } from '../../contract/auth.ts';
import { ApiError } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import { rateLimiter } from '../http/rateLimiter.ts';
import type { Store } from '../store/index.ts';
import { createApiKey, toApiKeyDto } from './apiKeys.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';
import type { SessionAuth } from './session.ts';
import { consumeSetupToken, setupPending } from './setup.ts';

export interface AuthRoutesOptions {
  store: Store;
  auth: SessionAuth;
  now: () => number;
}

export async function authRoutes(app: FastifyInstance, { store, auth, now }: AuthRoutesOptions) {
  // Per address and per email: enough for a person who mistypes, useless for guessing.
  const byIp = rateLimiter(30, now);
  const byEmail = rateLimiter(10, now);

  app.get('/api/auth/status', async (request): Promise<AuthStatus> => ({
    setupRequired: setupPending(store),
    user: auth.userFor(request),
  }));

  app.post('/api/auth/setup', async (request, reply): Promise<Me> => {
    const body = parseOr400(setupBody, request.body);
    const passwordHash = await hashPassword(body.password);
    const user = store.transaction(() => {
      if (!consumeSetupToken(store, body.token)) return null;
      return store.users.create(body.email, passwordHash, 'owner', now());
    });
    if (!user) throw new ApiError(403, 'invalid_setup_token', 'this setup link was already used or is not valid');
    auth.issue(reply, user.id);
    request.log.info({ userId: user.id }, 'owner account created');
    reply.code(201);
    return { id: user.id, email: user.email };
  });

  app.post('/api/auth/sign-in', async (request, reply): Promise<Me> => {
    const body = parseOr400(signInBody, request.body);
    for (const decision of [byIp.take(request.ip), byEmail.take(body.email.toLowerCase())]) {
      if (!decision.ok) {
        throw new ApiError(429, 'rate_limited', 'too many sign-in attempts; wait and try again', null, {
          'retry-after': String(decision.retryAfterSeconds),
        });
      }
    }
    const user = store.users.byEmail(body.email);
    const ok = await verifyPassword(body.password, user?.password_hash ?? (await dummyHash()));
    if (!user || !ok) {
      request.log.info('sign-in refused');
      throw new ApiError(401, 'invalid_credentials', 'wrong email or password');
    }
    auth.issue(reply, user.id);
    return { id: user.id, email: user.email };
  });

  app.post('/api/auth/sign-out', async (request, reply) => {
    auth.end(request, reply);
    reply.code(204).send();
  });

  app.get('/api/keys', async (request) => {
    auth.requireUser(request);
    return { keys: store.apiKeys.list().map(toApiKeyDto) };
  });

  app.post('/api/keys', async (request, reply) => {
    const user = auth.requireUser(request);
    const body = parseOr400(createApiKeyBody, request.body);
    reply.code(201);
    return createApiKey(store, body.name, user.id, now());
  });

  app.delete<{ Params: { id: string } }>('/api/keys/:id', async (request, reply) => {
    auth.requireUser(request);
    if (!store.apiKeys.revoke(request.params.id, now())) {
      throw new ApiError(404, 'not_found', 'no such API key');
    }
    reply.code(204).send();
  });
}

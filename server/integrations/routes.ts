/**
 * Settings → Integrations (§13), for a project's admins: create (the URL, with its token, shown
 * once), list, rotate (a new URL; the old one stops at once) and delete. The token is one of the
 * project's API keys, so revoking, rate limiting and "last used" work as for any key. Audited.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type CreatedIntegration,
  hookPath,
  INTEGRATION_SOURCES,
  type IntegrationDto,
  type IntegrationList,
  type IntegrationSource,
  SECRET_LATER,
  SIGNED_SOURCES,
  SIGNING_SECRET_MAX,
  SOURCE_INFO,
} from '../../contract/integrations.ts';
import { audit } from '../audit/log.ts';
import { createApiKey } from '../auth/apiKeys.ts';
import type { SessionAuth } from '../auth/session.ts';
import { ADMIN, doc, projectOf } from '../http/access.ts';
import { ApiError, badField } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import { projectPaths } from '../http/projectPaths.ts';
import type { IntegrationRow, AppStore as Store, StoreRepositories } from '../store/types.ts';

export interface IntegrationRoutesOptions {
  store: Store;
  auth: SessionAuth;
  now: () => number;
  /** Where the URLs point: PUBLIC_URL, or the address the server listens on. */
  linkBase: string;
}

/** Enough for every sender a team runs, twice over; more is a mistake or an attack. */
export const MAX_INTEGRATIONS_PER_PROJECT = 50;

const secret = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(SIGNING_SECRET_MAX, { error: `must be at most ${SIGNING_SECRET_MAX} characters` });
const createBody = z.strictObject({
  source: z.enum(INTEGRATION_SOURCES, { error: `must be one of ${INTEGRATION_SOURCES.join(', ')}` }),
  secret: secret.optional(),
});
const secretBody = z.strictObject({ secret });

export function toIntegrationDto(row: IntegrationRow): IntegrationDto {
  return {
    id: row.id,
    source: row.source,
    prefix: row.prefix,
    signed: SIGNED_SOURCES.includes(row.source),
    secretSet: row.signingSecret !== null,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt).toISOString(),
    createdBy: row.createdBy,
  };
}

/** A new key for an integration of this source (its name says what it is on the event page). */
const newKey = (tx: StoreRepositories, projectId: number, source: IntegrationSource, by: string, at: number) =>
  createApiKey(tx, projectId, `${SOURCE_INFO[source].label} integration`, by, at);

export async function integrationRoutes(app: FastifyInstance, { store, auth, now, linkBase }: IntegrationRoutesOptions) {
  const urlOf = (source: IntegrationSource, token: string) => `${linkBase.replace(/\/$/, '')}${hookPath(source, token)}`;

  for (const url of projectPaths('integrations', null)) {
    app.get(url, doc(ADMIN, { tag: 'Integrations', summary: "The project's integrations (never their tokens)" }), async (request): Promise<IntegrationList> => ({
      integrations: (await store.integrations.list(projectOf(request).id)).map(toIntegrationDto),
    }));

    const create = doc(ADMIN, { tag: 'Integrations', summary: 'Add an integration: its URL, with the token, is shown once', body: createBody, status: 201 });
    app.post(url, create, async (request, reply): Promise<CreatedIntegration> => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const body = parseOr400(createBody, request.body);
      const signed = SIGNED_SOURCES.includes(body.source);
      if (signed && body.secret === undefined && !SECRET_LATER.includes(body.source)) throw badField('secret', `is required for ${SOURCE_INFO[body.source].label}: the signing secret its deliveries are signed with`);
      if (!signed && body.secret !== undefined) throw badField('secret', `is not used by ${SOURCE_INFO[body.source].label}: its deliveries are not signed (the URL's token is the secret)`);
      const at = now();
      const made = await store.transaction(async (tx) => {
        if ((await tx.integrations.count(project.id)) >= MAX_INTEGRATIONS_PER_PROJECT) {
          throw new ApiError(409, 'too_many_integrations', `a project may have at most ${MAX_INTEGRATIONS_PER_PROJECT} integrations: delete some first`, 'source');
        }
        const key = await newKey(tx, project.id, body.source, user.id, at);
        const id = randomUUID();
        await tx.integrations.create({ id, projectId: project.id, source: body.source, apiKeyId: key.id, signingSecret: body.secret ?? null, createdBy: user.id, at });
        await audit(tx, project.id, user, 'integration.created', SOURCE_INFO[body.source].label, at, { id, prefix: key.prefix, signed });
        return { row: (await tx.integrations.byId(project.id, id))!, token: key.key };
      });
      reply.code(201);
      return { ...toIntegrationDto(made.row), url: urlOf(made.row.source, made.token) };
    });
  }

  for (const url of projectPaths('integrations/:id/rotate', null)) {
    const rotate = doc(ADMIN, { tag: 'Integrations', summary: 'A new URL for an integration (shown once); the old one stops at once', status: 201 });
    app.post<{ Params: { id: string } }>(url, rotate, async (request, reply): Promise<CreatedIntegration> => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const at = now();
      const made = await store.transaction(async (tx) => {
        const found = await tx.integrations.byId(project.id, request.params.id);
        if (!found) return null;
        const key = await newKey(tx, project.id, found.source, user.id, at);
        await tx.integrations.setKey(found.id, key.id);
        await tx.apiKeys.revoke(project.id, found.apiKeyId, at);
        await audit(tx, project.id, user, 'integration.rotated', SOURCE_INFO[found.source].label, at, { id: found.id, prefix: key.prefix });
        return { row: (await tx.integrations.byId(project.id, found.id))!, token: key.key };
      });
      if (!made) throw new ApiError(404, 'not_found', 'no such integration');
      reply.code(201);
      return { ...toIntegrationDto(made.row), url: urlOf(made.row.source, made.token) };
    });
  }

  for (const url of projectPaths('integrations/:id/secret', null)) {
    const put = doc(ADMIN, { tag: 'Integrations', summary: "Set or replace a GitHub or Stripe integration's signing secret", body: secretBody, status: 204 });
    app.put<{ Params: { id: string } }>(url, put, async (request, reply) => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const body = parseOr400(secretBody, request.body);
      const at = now();
      const found = await store.transaction(async (tx) => {
        const row = await tx.integrations.byId(project.id, request.params.id);
        if (!row || !SIGNED_SOURCES.includes(row.source)) return row;
        await tx.integrations.setSecret(row.id, body.secret);
        await audit(tx, project.id, user, 'integration.secret_set', SOURCE_INFO[row.source].label, at, { id: row.id, prefix: row.prefix, replaced: row.signingSecret !== null });
        return row;
      });
      if (!found) throw new ApiError(404, 'not_found', 'no such integration');
      if (!SIGNED_SOURCES.includes(found.source)) throw badField('secret', `is not used by ${SOURCE_INFO[found.source].label}: its deliveries are not signed`);
      reply.code(204).send();
    });
  }

  for (const url of projectPaths('integrations/:id', null)) {
    app.delete<{ Params: { id: string } }>(url, doc(ADMIN, { tag: 'Integrations', summary: 'Delete an integration: its URL stops at once', status: 204 }), async (request, reply) => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const at = now();
      const removed = await store.transaction(async (tx) => {
        const found = await tx.integrations.byId(project.id, request.params.id);
        if (!found) return false;
        await tx.apiKeys.revoke(project.id, found.apiKeyId, at);
        await tx.integrations.remove(found.id);
        await audit(tx, project.id, user, 'integration.deleted', SOURCE_INFO[found.source].label, at, { id: found.id, prefix: found.prefix });
        return true;
      });
      if (!removed) throw new ApiError(404, 'not_found', 'no such integration');
      reply.code(204).send();
    });
  }
}

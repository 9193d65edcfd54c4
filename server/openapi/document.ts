/**
 * GET /api/openapi.json: an OpenAPI 3.1 document of every route the server registered, made from what
 * each route declared where it is registered (its access and `doc()`: summary, tag, the zod schemas
 * its handler validates with, its status; server/http/access.ts collects them), with request bodies
 * and query parameters from those schemas (@asteasolutions/zod-to-openapi), the error shape every
 * failure uses, and who may call what.
 */
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Access, type DeclaredRoute, doc, isProjectAccess, PUBLIC, type RouteDoc } from '../http/access.ts';
import { VERSION } from '../version.ts';

// Lets the registry name schemas (`Error`) and refer to them; server-side only (the PWA never loads this).
extendZodWithOpenApi(z);

const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().nullable() }),
});

const SECURITY: Record<Access, { scheme: string | null; note: string }> = {
  public: { scheme: null, note: 'Anyone.' },
  apiKey: { scheme: 'apiKey', note: 'An API key of the project (the read API: a key with the read scope).' },
  metricsToken: { scheme: 'metricsToken', note: 'The METRICS_TOKEN.' },
  signedIn: { scheme: 'session', note: 'Anyone signed in.' },
  owner: { scheme: 'session', note: 'An owner of the installation.' },
  viewer: { scheme: 'session', note: 'A viewer, member or admin of the project.' },
  member: { scheme: 'session', note: 'A member or admin of the project.' },
  admin: { scheme: 'session', note: 'An admin of the project (owners are admins of every project).' },
};

/** `/api/projects/:slug/events/:id` → `/api/projects/{slug}/events/{id}` */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/** The routes of the document: every documented one but HEAD (Fastify's twin of GET), in the order registered. */
export const documentedRoutes = (routes: readonly DeclaredRoute[]) =>
  routes.filter((r): r is DeclaredRoute & { access: Access; doc: RouteDoc } => r.doc !== undefined && r.access !== undefined && r.method !== 'HEAD');

export function buildOpenApiDocument(routes: readonly DeclaredRoute[]) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer sb_…`' });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'sb_session',
    description: 'The session cookie set by sign-in. Requests that change something must also come from this server’s own origin with Content-Type: application/json.',
  });
  registry.registerComponent('securitySchemes', 'metricsToken', { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN' });
  const error = registry.register('Error', errorBody);

  for (const { method, url, access, projectOf, doc: route } of documentedRoutes(routes)) {
    const params = [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
    const security = SECURITY[access];
    // A project route without a project in its path serves `default`: the path from before projects.
    const legacy = isProjectAccess(access) && projectOf === 'default';
    registry.registerPath({
      method: method.toLowerCase() as 'get',
      path: openApiPath(url),
      tags: [route.tag],
      summary: route.summary,
      description: `${security.note}${legacy ? ' The same route for the project `default` (the path from before projects).' : ''}`,
      ...(security.scheme ? { security: [{ [security.scheme]: [] }] } : {}),
      request: {
        ...(params.length > 0 ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(route.body ? { body: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
      },
      responses: {
        [route.status ?? 200]: { description: route.status === 204 ? 'Done (no body).' : 'Done: see docs/api.md for the answer’s fields.' },
        '4XX': { description: 'A JSON error naming the field when there is one.', content: { 'application/json': { schema: error } } },
        '503': { description: 'Shutting down: retry elsewhere.', content: { 'application/json': { schema: error } } },
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Switchboard',
      version: VERSION,
      description: 'Watch your software’s important events and act on them. The reference with examples is docs/api.md in the repository.',
    },
  });
}

export async function openApiRoutes(app: FastifyInstance) {
  // Made at the first request, when every route is in (the routes never change after start).
  let document: ReturnType<typeof buildOpenApiDocument> | null = null;
  app.get('/api/openapi.json', doc(PUBLIC, { tag: 'Operations', summary: 'This document' }), async () => {
    document ??= buildOpenApiDocument(app.declaredRoutes());
    return document;
  });
}

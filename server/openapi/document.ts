/**
 * GET /api/openapi.json: an OpenAPI 3.1 document of every route (routes.ts), request bodies and query
 * parameters made from the zod schemas the handlers validate with (@asteasolutions/zod-to-openapi),
 * the error shape every failure uses, and who may call what.
 */
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PUBLIC } from '../http/access.ts';
import { VERSION } from '../version.ts';
import { type DocumentedRoute, documentedPaths } from './routes.ts';

// Lets the registry name schemas (`Error`) and refer to them; server-side only (the PWA never loads this).
extendZodWithOpenApi(z);

const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().nullable() }),
});

const SECURITY: Record<DocumentedRoute['access'], { scheme: string | null; note: string }> = {
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

export function buildOpenApiDocument() {
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

  for (const { method, path, route } of documentedPaths()) {
    const params = [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
    const security = SECURITY[route.access];
    const legacy = route.project !== undefined && !path.includes(':slug');
    registry.registerPath({
      method: method.toLowerCase() as 'get',
      path: openApiPath(path),
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
  let document: ReturnType<typeof buildOpenApiDocument> | null = null;
  app.get('/api/openapi.json', PUBLIC, async () => {
    document ??= buildOpenApiDocument();
    return document;
  });
}

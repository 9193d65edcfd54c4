/**
 * /api/openapi.json (CONTRACT §9): an OpenAPI 3.1 document made from the contract's schemas whose
 * paths and methods are exactly the routes the server registers, each with the access it declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../server/openapi/document.ts';
import { documentedPaths } from '../server/openapi/routes.ts';
import { makeApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ env: { METRICS_TOKEN: 'metrics-token-for-openapi' } });
  await t.app.ready();
});
afterAll(async () => {
  await t.cleanup();
});

type Doc = { openapi: string; paths: Record<string, Record<string, { security?: unknown[]; requestBody?: { content: Record<string, { schema: { properties?: Record<string, { enum?: string[] }> } }> }; parameters?: { name: string; in: string }[] }>> };

/** The routes the server registers: everything but HEAD (Fastify's twin of GET), the built app's files and the CORS preflight. */
function registered(): string[] {
  return t.app
    .declaredRoutes()
    .filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && !r.url.startsWith('/assets') && r.url !== '/*')
    .map((r) => `${r.method} ${openApiPath(r.url)}`)
    .sort();
}

describe('/api/openapi.json', () => {
  it('is served to anyone as an OpenAPI 3.1 document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.json<Doc & { info: { title: string } }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Switchboard');
  });

  it('documents exactly the paths and methods the server has', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(registered());
  });

  it('says for each route the access the server enforces', () => {
    const declared = new Map(t.app.declaredRoutes().map((r) => [`${r.method} ${r.url}`, r.access]));
    const wrong = documentedPaths().filter(({ method, path, route }) => declared.get(`${method} ${path}`) !== route.access);
    expect(wrong.map(({ method, path, route }) => `${method} ${path}: documented ${route.access}, declared ${declared.get(`${method} ${path}`)}`)).toEqual([]);
  });

  it('takes request bodies and parameters from the schemas the handlers validate with', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
    const ingest = doc.paths['/api/v1/log']!.post!;
    const fields = Object.keys(ingest.requestBody!.content['application/json']!.schema.properties!);
    expect(fields).toEqual(expect.arrayContaining(['name', 'avatar', 'type', 'content', 'category', 'notify', 'test', 'contextId', 'contextStart', 'userId', 'actions']));
    expect(ingest.security).toEqual([{ apiKey: [] }]);
    const keys = doc.paths['/api/projects/{slug}/keys']!.post!;
    expect(keys.requestBody!.content['application/json']!.schema.properties!.scope!.enum).toEqual(['ingest', 'read']);
    expect(keys.parameters).toEqual([expect.objectContaining({ name: 'slug', in: 'path' })]);
    const feed = doc.paths['/api/v1/events']!.get!;
    expect(feed.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'q', 'category', 'user', 'test', 'unhandled']));
    expect(doc.paths['/healthz']!.get!.security).toBeUndefined();
  });
});

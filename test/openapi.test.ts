/**
 * /api/openapi.json (CONTRACT §9): an OpenAPI 3.1 document made from what each route declares where
 * it is registered (its access and its doc()), whose paths and methods are exactly the routes the
 * server registers, each with the access it declares.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Access, documentRoutes, PUBLIC } from '../server/http/access.ts';
import { openApiPath } from '../server/openapi/document.ts';
import { makeApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ env: { METRICS_TOKEN: 'metrics-token-for-openapi' } });
  await t.app.ready();
});
afterAll(async () => {
  await t.cleanup();
});

type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { enum?: string[] }> } }> };
  parameters?: { name: string; in: string }[];
};
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** The routes of an app that must be documented: all but HEAD (Fastify's twin of GET), the built app's files and the CORS preflight. */
const mustDocument = (app: FastifyInstance) =>
  app.declaredRoutes().filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && !r.url.startsWith('/assets') && r.url !== '/*');

function registered(): string[] {
  return mustDocument(t.app)
    .map((r) => `${r.method} ${openApiPath(r.url)}`)
    .sort();
}

/** Routes registered without documentation (no doc() beside their access). */
const undocumented = (app: FastifyInstance) => mustDocument(app).filter((r) => !r.doc?.summary || !r.doc.tag).map((r) => `${r.method} ${r.url}`);

/** The security each access must be documented with: the scheme that carries it. */
const SCHEME: Record<Access, string | null> = {
  public: null,
  apiKey: 'apiKey',
  metricsToken: 'metricsToken',
  signedIn: 'session',
  owner: 'session',
  viewer: 'session',
  member: 'session',
  admin: 'session',
};

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

  it('has every route declare its documentation where it is registered', () => {
    expect(undocumented(t.app)).toEqual([]);
  });

  it('finds a route registered without documentation (the check above can fail)', async () => {
    const other = await makeApp();
    try {
      other.app.get('/api/undocumented', PUBLIC, async () => ({}));
      await other.app.ready();
      expect(undocumented(other.app)).toContain('GET /api/undocumented');
      const doc = (await other.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
      expect(doc.paths['/api/undocumented']).toBeUndefined();
    } finally {
      await other.cleanup();
    }
  });

  it('documents by path only routes that exist: an entry that meets no route stops the server', async () => {
    const app = Fastify();
    const seen: unknown[] = [];
    app.addHook('onRoute', (route) => void seen.push(route));
    documentRoutes(app, { 'GET /here': { tag: 'Operations', summary: 'Here' }, 'GET /gone': { tag: 'Operations', summary: 'Gone' } });
    app.get('/here', PUBLIC, async () => ({}));
    expect((seen[0] as { config: { doc?: { summary: string } } }).config.doc?.summary).toBe('Here');
    await expect(app.ready()).rejects.toThrow('documented routes that were not registered: GET /gone');
  });

  it('says for each route the access the server enforces', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
    const wrong: string[] = [];
    for (const r of mustDocument(t.app)) {
      const op = doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()];
      const scheme = SCHEME[r.access!];
      const security = op?.security === undefined ? null : JSON.stringify(op.security);
      if (security !== (scheme === null ? null : JSON.stringify([{ [scheme]: [] }]))) wrong.push(`${r.method} ${r.url}: security ${security}, declared ${r.access}`);
      // A project route's description names the least role it needs; an owner route says owner.
      const named = r.access === 'owner' ? 'owner' : r.access === 'viewer' || r.access === 'member' || r.access === 'admin' ? r.access : null;
      if (named && !op?.description?.includes(named)) wrong.push(`${r.method} ${r.url}: "${op?.description}" does not name ${named}`);
      if (op?.summary !== r.doc?.summary || op?.tags?.[0] !== r.doc?.tag) wrong.push(`${r.method} ${r.url}: summary or tag not the declared one`);
    }
    expect(wrong).toEqual([]);
  });

  it('says of a project route’s path without a project that it serves `default`, and of no other', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
    const legacy = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.entries(methods).filter(([, op]) => op.description?.includes('`default`')).map(([m]) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(legacy).toEqual(
      [
        'GET /api/events',
        'GET /api/events/{id}',
        'DELETE /api/events/{id}',
        'PUT /api/events/{id}/handled',
        'POST /api/events/{id}/ack',
        'POST /api/events/{id}/resolve',
        'POST /api/events/{id}/reopen',
        'POST /api/events/{id}/assign',
        'POST /api/events/{id}/snooze',
        'DELETE /api/events/{id}/snooze',
        'GET /api/events/{id}/notes',
        'POST /api/events/{id}/notes',
        'GET /api/categories',
        'GET /api/triage-counts',
        'GET /api/stream',
        'GET /api/insights',
        'GET /api/keys',
        'POST /api/keys',
        'DELETE /api/keys/{id}',
        'GET /api/settings/webhook-secret',
        'POST /api/settings/webhook-secret/rotate',
      ].sort(),
    );
    expect(doc.paths['/api/projects/{slug}/events']!.get!.summary).toBe(doc.paths['/api/events']!.get!.summary);
  });

  it('takes request bodies and parameters from the schemas the handlers validate with', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
    const ingest = doc.paths['/api/v1/log']!.post!;
    // One event, or a batch of them (§13).
    const body = ingest.requestBody!.content['application/json']!.schema as { anyOf?: { type?: string; maxItems?: number; properties?: Record<string, unknown> }[] };
    const [single, batch] = body.anyOf!;
    expect(batch).toMatchObject({ type: 'array', maxItems: 500 });
    const fields = Object.keys(single!.properties!);
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

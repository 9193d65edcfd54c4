/**
 * Every route of the server, walked with every kind of person (CONTRACT §7): an owner, a project's
 * admin, member and viewer, a signed-in stranger to the project, and nobody. The access each route
 * declares must equal the table below (so no route can be added without saying who may call it), and
 * each person's answer must follow from it: allowed → neither 401, 403 nor "no such project"; a
 * member without the role → 403 naming it; a stranger → 404, as if the project did not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectRole } from '../contract/api.ts';
import type { Access, DeclaredRoute } from '../server/http/access.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { insertEvent, makeApp, normalized, OWN_ORIGIN, sessionFor, type TestApp } from './helpers.ts';

/** Who may call what: CONTRACT §7's table, route by route (HEAD follows GET). */
const EXPECTED: Record<string, Access> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /api/openapi.json': 'public',
  // The scraper's Bearer METRICS_TOKEN, never a session.
  'GET /metrics': 'metricsToken',
  'GET /api/auth/status': 'public',
  'POST /api/auth/setup': 'public',
  'POST /api/auth/sign-in': 'public',
  'POST /api/auth/sign-out': 'public',
  'POST /api/auth/reset-password': 'public',
  'POST /api/invites/lookup': 'public',
  'POST /api/invites/accept': 'public',
  'OPTIONS /api/v1/*': 'apiKey',
  'POST /api/v1/log': 'apiKey',
  'POST /api/v1/ingest': 'apiKey',
  'POST /api/v1/identify': 'apiKey',
  // §13: an integration's delivery (its token is in the URL) and PagerDuty's Events API v2 (routing_key).
  'POST /api/v1/hooks/:source/:token': 'apiKey',
  'POST /v2/enqueue': 'apiKey',
  // The read API: a key with the read scope (test/read-api.test.ts).
  'GET /api/v1/events': 'apiKey',
  'GET /api/v1/events/:id': 'apiKey',
  'GET /api/v1/events/:id/decision': 'apiKey',
  // The MCP server for agents (test/mcp.test.ts): POST only; GET and DELETE answer 405.
  'POST /mcp': 'apiKey',
  'GET /mcp': 'apiKey',
  'DELETE /mcp': 'apiKey',
  // Read events, search, live stream, event pages: everyone in the project.
  'GET /api/events': 'viewer',
  'GET /api/events/:id': 'viewer',
  'GET /api/categories': 'viewer',
  'GET /api/stream': 'viewer',
  'GET /api/projects/:slug': 'viewer',
  'GET /api/projects/:slug/progress': 'viewer',
  'GET /api/projects/:slug/events': 'viewer',
  'GET /api/projects/:slug/events/:id': 'viewer',
  'GET /api/projects/:slug/categories': 'viewer',
  'GET /api/projects/:slug/stream': 'viewer',
  // Across every project the person sees (the app's /all): anyone signed in.
  'GET /api/all/events': 'signedIn',
  'GET /api/all/events/:id': 'signedIn',
  'GET /api/all/stream': 'signedIn',
  'GET /api/insights': 'viewer',
  'GET /api/projects/:slug/insights': 'viewer',
  // Their own notifications: everyone in the project.
  'GET /api/projects/:slug/notifications': 'viewer',
  'PUT /api/projects/:slug/notifications': 'viewer',
  // The press policy: everyone reads what a press requires; admins change it.
  'GET /api/projects/:slug/policy': 'viewer',
  'PUT /api/projects/:slug/policy': 'admin',
  // Press actions, mark handled: members.
  'POST /api/events/:id/actions/:key/trigger': 'member',
  'PUT /api/events/:id/handled': 'member',
  'GET /api/account/quiet-hours': 'signedIn',
  'PUT /api/account/quiet-hours': 'signedIn',
  'POST /api/events/:id/ack': 'member',
  'POST /api/events/:id/resolve': 'member',
  'POST /api/events/:id/reopen': 'member',
  'POST /api/events/:id/assign': 'member',
  'POST /api/events/:id/snooze': 'member',
  'DELETE /api/events/:id/snooze': 'member',
  'GET /api/events/:id/notes': 'viewer',
  'GET /api/triage-counts': 'viewer',
  'GET /api/projects/:slug/triage-counts': 'viewer',
  'POST /api/events/:id/notes': 'member',
  // Presses that wait: who may press may approve, deny (not their own) and cancel.
  'POST /api/events/:id/actions/:key/cancel': 'member',
  'POST /api/approvals/:id/approve': 'member',
  'POST /api/approvals/:id/deny': 'member',
  // Deleting events: admins.
  'DELETE /api/events/:id': 'admin',
  'DELETE /api/projects/:slug/events/:id': 'admin',
  'PUT /api/projects/:slug/events/:id/handled': 'member',
  'POST /api/projects/:slug/events/:id/ack': 'member',
  'POST /api/projects/:slug/events/:id/resolve': 'member',
  'POST /api/projects/:slug/events/:id/reopen': 'member',
  'POST /api/projects/:slug/events/:id/assign': 'member',
  'POST /api/projects/:slug/events/:id/snooze': 'member',
  'DELETE /api/projects/:slug/events/:id/snooze': 'member',
  'GET /api/projects/:slug/events/:id/notes': 'viewer',
  'POST /api/projects/:slug/events/:id/notes': 'member',
  // Keys, secret, invites, members and roles, rename, audit: admins.
  'GET /api/keys': 'admin',
  'POST /api/keys': 'admin',
  'DELETE /api/keys/:id': 'admin',
  'GET /api/projects/:slug/keys': 'admin',
  'POST /api/projects/:slug/keys': 'admin',
  'DELETE /api/projects/:slug/keys/:id': 'admin',
  'GET /api/projects/:slug/integrations': 'admin',
  'POST /api/projects/:slug/integrations': 'admin',
  'POST /api/projects/:slug/integrations/:id/rotate': 'admin',
  'DELETE /api/projects/:slug/integrations/:id': 'admin',
  'PUT /api/projects/:slug/integrations/:id/secret': 'admin',
  'GET /api/settings/webhook-secret': 'admin',
  'POST /api/settings/webhook-secret/rotate': 'admin',
  'GET /api/projects/:slug/webhook-secret': 'admin',
  'POST /api/projects/:slug/webhook-secret/rotate': 'admin',
  'GET /api/projects/:slug/members': 'admin',
  'PATCH /api/projects/:slug/members/:userId': 'admin',
  'DELETE /api/projects/:slug/members/:userId': 'admin',
  'POST /api/projects/:slug/members/:userId/password-reset': 'admin',
  'GET /api/projects/:slug/invites': 'admin',
  'POST /api/projects/:slug/invites': 'admin',
  'DELETE /api/projects/:slug/invites/:id': 'admin',
  // Members read the presses of the Activity page; the rest of it is for admins (checked in the handler).
  'GET /api/projects/:slug/audit': 'member',
  'PATCH /api/projects/:slug': 'admin',
  // Creating and deleting projects: owners.
  'POST /api/projects': 'owner',
  'PUT /api/users/:id/owner': 'owner',
  'DELETE /api/projects/:slug': 'owner',
  // A person's own things: anyone signed in.
  'GET /api/projects': 'signedIn',
  'PATCH /api/account': 'signedIn',
  'POST /api/account/password': 'signedIn',
  'POST /api/account/email': 'signedIn',
  'POST /api/account/sign-out-others': 'signedIn',
  'POST /api/auth/step-up': 'signedIn',
  // Passkeys: one's own (another person's answers 404); signing in with one proves itself in the handler.
  'POST /api/auth/step-up/options': 'signedIn',
  'GET /api/account/passkeys': 'signedIn',
  'POST /api/account/passkeys/options': 'signedIn',
  'POST /api/account/passkeys': 'signedIn',
  'PATCH /api/account/passkeys/:id': 'signedIn',
  'DELETE /api/account/passkeys/:id': 'signedIn',
  'POST /api/auth/passkey/options': 'public',
  'POST /api/auth/passkey': 'public',
  // Single sign-on's browser navigations (test/oidc.test.ts): they prove themselves with the provider.
  'GET /api/auth/oidc/start': 'public',
  'GET /api/auth/oidc/callback': 'public',
  'GET /api/push/public-key': 'signedIn',
  'PUT /api/push/subscriptions': 'signedIn',
  'GET /api/push/subscriptions': 'signedIn',
  'DELETE /api/push/subscriptions/:id': 'signedIn',
  'POST /api/push/test': 'signedIn',
};

const RANK: Record<ProjectRole, number> = { viewer: 0, member: 1, admin: 2 };
type Persona = { name: string; cookie: string | null; role: ProjectRole | 'owner' | 'stranger' | 'anonymous' };

let t: TestApp;
let personas: Persona[];
let opsId: number;
let victim: string;
const eventIn: Record<string, string> = {};
const requestInOps = 'req_roles_walk';

beforeAll(async () => {
  t = await makeApp({ env: { METRICS_TOKEN: 'metrics-token-for-the-walk' } });
  const ownerCookie = await t.signIn();
  opsId = (await t.store.projects.create('ops', 'Ops', Date.now()))!.id;
  personas = [{ name: 'owner', cookie: ownerCookie, role: 'owner' }];
  for (const role of ['admin', 'member', 'viewer'] as const) {
    const user = await t.store.users.create(`${role}@example.com`, 'x', 'member', Date.now());
    for (const project of [DEFAULT_PROJECT_ID, opsId]) await t.store.members.add(project, user.id, role, Date.now());
    personas.push({ name: role, cookie: await sessionFor(t.store, user.id), role });
  }
  const stranger = await t.store.users.create('stranger@example.com', 'x', 'member', Date.now());
  personas.push({ name: 'stranger', cookie: await sessionFor(t.store, stranger.id), role: 'stranger' }, { name: 'anonymous', cookie: null, role: 'anonymous' });
  victim = (await t.store.users.create('victim@example.com', 'x', 'member', Date.now())).id;
  eventIn.default = (await insertEvent(t.store, { name: 'in default' }, Date.now())).id;
  const inOps = await t.store.transaction((tx) =>
    tx.events.insert({ event: normalized({ name: 'in ops' }), projectId: opsId, apiKeyId: null, createdAt: Date.now() }),
  );
  eventIn.ops = inOps.live.event.id;
  // A press in ops waiting for approval, asked for by someone who is none of the personas.
  const withAction = await t.store.transaction((tx) =>
    tx.events.insert({
      event: normalized({ name: 'refund', actions: [{ key: 'refund', buttonText: 'Refund', url: 'https://example.com/r', risk: 'critical' }] }),
      projectId: opsId,
      apiKeyId: null,
      createdAt: Date.now(),
    }),
  );
  await t.store.transaction((tx) =>
    tx.pressRequests.open(
      {
        id: requestInOps,
        eventSeq: withAction.seq,
        key: 'refund',
        projectId: opsId,
        status: 'awaiting_approval',
        risk: 'critical',
        needed: 2,
        requestedBy: { id: victim, email: 'victim@example.com' },
        requestedAt: Date.now(),
        expiresAt: Date.now() + 3600_000,
        delaySeconds: 15,
        runsAt: null,
        webhookId: 'msg_roles',
      },
      Date.now(),
    ),
  );
});
afterAll(async () => t?.cleanup());

/**
 * A concrete URL for a route: its project is `ops` (or `default` for the routes without one). A
 * deletion gets an event of its own, made for that one call, so the others keep theirs.
 */
async function urlFor(route: DeclaredRoute): Promise<string> {
  const project = route.projectOf === 'slug' ? 'ops' : 'default';
  let eventId = eventIn[route.projectOf === 'event' ? 'ops' : project]!;
  if (route.method === 'DELETE' && route.url.endsWith('events/:id')) {
    const made = await t.store.transaction((tx) =>
      tx.events.insert({ event: normalized({ name: 'to delete' }), projectId: project === 'ops' ? opsId : DEFAULT_PROJECT_ID, apiKeyId: null, createdAt: Date.now() }),
    );
    eventId = made.live.event.id;
  }
  return route.url
    .replace(':slug', 'ops')
    .replace(':userId', victim)
    .replace(':key', 'no-such-action')
    .replace(':id', /events\/:id/.test(route.url) ? eventId : route.projectOf === 'request' ? requestInOps : 'no-such-id')
    .replace('*', 'log');
}

function allowed(persona: Persona, access: Access): boolean {
  if (access === 'public' || access === 'apiKey' || access === 'metricsToken') return true;
  if (persona.role === 'anonymous') return false;
  if (access === 'signedIn') return true;
  if (persona.role === 'owner') return true;
  if (access === 'owner' || persona.role === 'stranger') return false;
  return RANK[persona.role] >= RANK[access];
}

describe('every route, with every role', () => {
  it('declares exactly the access of the table (no route forgotten, none extra)', async () => {
    await t.app.ready();
    const declared = t.app.declaredRoutes().filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/assets') && r.url !== '/*');
    const seen = Object.fromEntries(declared.map((r) => [`${r.method} ${r.url}`, r.access]));
    expect(seen).toEqual(EXPECTED);
    for (const head of t.app.declaredRoutes().filter((r) => r.method === 'HEAD' && EXPECTED[`GET ${r.url}`])) {
      expect(head.access, head.url).toBe(EXPECTED[`GET ${head.url}`]);
    }
  });

  it('answers each person as the table says: allowed, 403 naming the role, 404 for a stranger, 401 for nobody', async () => {
    const routes = t.app.declaredRoutes().filter((r) => r.access !== 'public' && r.access !== 'apiKey' && r.access !== 'metricsToken' && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const route of routes) {
      for (const persona of personas) {
        // A stream never ends: its HEAD answers the same question.
        const method = route.url.endsWith('/stream') ? 'HEAD' : route.method;
        const res = await t.app.inject({
          method: method as 'GET',
          url: await urlFor(route),
          headers: { origin: OWN_ORIGIN, 'content-type': 'application/json', ...(persona.cookie ? { cookie: persona.cookie } : {}) },
          ...(['GET', 'HEAD', 'DELETE'].includes(method) ? {} : { payload: '{}' }),
        });
        const body = method === 'HEAD' || res.body === '' ? null : (res.json() as { error?: { code: string; message: string } });
        const error = body?.error;
        const label = `${route.method} ${route.url} as ${persona.name}: ${res.statusCode} ${error?.message ?? ''}`;
        const access = route.access!;
        // (A HEAD answer has no body: its 404 can only be the project's.)
        const noProject = res.statusCode === 404 && (method === 'HEAD' || /no such (project|event|request)$/.test(error?.message ?? ''));
        if (allowed(persona, access)) {
          if (res.statusCode === 401 || res.statusCode === 403 || (noProject && route.projectOf !== 'default')) wrong.push(`${label} (should be allowed)`);
        } else if (persona.role === 'anonymous') {
          if (res.statusCode !== 401) wrong.push(`${label} (should be 401)`);
        } else if (persona.role === 'stranger' && access !== 'owner' && access !== 'signedIn') {
          if (!noProject) wrong.push(`${label} (should be 404)`);
        } else if (res.statusCode !== 403 || error?.code !== 'forbidden' || !error.message.includes(access)) {
          wrong.push(`${label} (should be 403 naming ${access})`);
        }
        // A removal that went through is undone, so every person meets the same project.
        await t.store.members.add(opsId, victim, 'viewer', Date.now());
      }
    }
    expect(wrong).toEqual([]);
  });
});

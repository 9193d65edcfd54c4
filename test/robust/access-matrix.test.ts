/**
 * Who may call what (CONTRACT.md §1, §2): every route the app registers × every kind of credential,
 * against the app listening on 127.0.0.1 (buildApp on a temp store). Ingest works only with a valid
 * API key; session routes only with a valid session, and state changes only from the own origin; an
 * API key never reads the secret nor presses an action; /healthz is open. Then SQL-ish input in every
 * id, cursor, filter and key never makes a 5xx, and the tables keep their rows.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret, sha256 } from '../../server/auth/tokens.ts';
import { DEFAULT_PROJECT_ID } from '../../server/store/records.ts';
import { countRows, makeApp, OWNER_EMAIL, OWNER_PASSWORD, type TestApp } from '../helpers.ts';
import { type Answer, errorShapeProblem, send } from './support.ts';

/**
 * The columns. Every one but `foreignOrigin` carries the own Origin, so the credential is what
 * decides; `plainText` is the owner's session from the own origin with a text/plain body (what a
 * cross-site form or a no-cors fetch can send); `member` is a second user, who is not the owner.
 */
const COLUMNS = ['none', 'apiKey', 'revokedKey', 'signedOut', 'foreignOrigin', 'crossSite', 'plainText', 'member', 'session'] as const;
type Column = (typeof COLUMNS)[number];

const OPEN = [200, 200, 200, 200, 200, 200, 200, 200, 200];
const INGEST = [401, 201, 401, 401, 401, 401, 401, 401, 401];
/** A session read: any valid session cookie (a GET is not a cross-site risk: no CORS header lets a foreign page read it). */
const READ = [401, 401, 401, 401, 200, 200, 200, 200, 200];
/** A read of keys, secrets, members or the audit log: the project's admins (the owner is one; the member is not). */
const OWNER_READ = [401, 401, 401, 401, 200, 200, 200, 403, 200];
/** A session write: a valid session from the own origin with a JSON body, answered with `ok`. */
const WRITE = (ok: number, member = ok) => [401, 401, 401, 401, 403, 403, 415, member, ok];
/** A write only admins (or, for projects themselves, owners) may make. */
const OWNER_WRITE = (ok: number) => WRITE(ok, 403);

interface Row {
  /** `METHOD /pattern` as registered; the request goes to `path` when the pattern has parameters. */
  route: string;
  path?: string;
  /** The JSON body (`{}` when absent); a function gives each column its own. */
  body?: unknown;
  expected: number[];
}

let t: TestApp;
let base: string;
const cred: Record<string, string> = {};
const ids: Record<string, string> = {};

const MEMBER_EMAIL = 'member@example.com';

/** A new session for the owner (or another user), straight into the store (no sign-in rate limit). */
async function mintSession(email = OWNER_EMAIL): Promise<string> {
  const token = newSecret();
  const user = (await t.store.users.byEmail(email))!;
  await t.store.sessions.create(sha256(token), user.id, Date.now(), Date.now() + 3_600_000);
  return `sb_session=${token}`;
}

async function headersFor(column: Column): Promise<Record<string, string>> {
  const own = { origin: base };
  switch (column) {
    case 'none': return own;
    case 'apiKey': return { ...own, authorization: `Bearer ${cred.key}` };
    case 'revokedKey': return { ...own, authorization: `Bearer ${cred.revoked}` };
    case 'signedOut': return { ...own, cookie: cred.signedOut! };
    case 'foreignOrigin': return { origin: 'https://evil.example', cookie: await mintSession() };
    case 'crossSite': return { ...own, 'sec-fetch-site': 'cross-site', cookie: await mintSession() };
    case 'plainText': return { ...own, 'content-type': 'text/plain', cookie: await mintSession() };
    case 'member': return { ...own, 'sec-fetch-site': 'same-origin', cookie: await mintSession(MEMBER_EMAIL) };
    case 'session': return { ...own, 'sec-fetch-site': 'same-origin', cookie: await mintSession() };
  }
}

/** A state-changing request always has a body (`{}` when none is given), as JSON unless the headers say otherwise. */
const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) => callFrom(method, path, headers, body);
function callFrom(method: string, path: string, headers: Record<string, string>, body?: unknown, localAddress?: string): Promise<Answer> {
  const safe = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  const json = safe && body === undefined ? undefined : JSON.stringify(body ?? {});
  return send(base, {
    method,
    path,
    // node:http sends a DELETE body without a length (so unread) unless told: say it, as browsers do.
    headers: json === undefined ? headers : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)), ...headers },
    body: json,
    eventStream: true,
    timeoutMs: 5_000,
    ...(localAddress ? { localAddress } : {}),
  });
}

beforeAll(async () => {
  t = await makeApp({ env: { PUSH_ENDPOINT_HOSTS: '127.0.0.1:9' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  base = `http://127.0.0.1:${port}`;
  await t.signIn();
  // A member of `default`: reads and presses there, manages nothing.
  ids.member = (await t.store.users.create(MEMBER_EMAIL, 'not a usable hash', 'member', Date.now())).id;
  await t.store.members.add(DEFAULT_PROJECT_ID, ids.member, 'member', Date.now());
  // A real sign-in and sign-out over HTTP: the cookie of a session that has ended.
  const signIn = await call('POST', '/api/auth/sign-in', { origin: base }, { email: OWNER_EMAIL, password: OWNER_PASSWORD });
  expect(signIn.status).toBe(200);
  cred.signedOut = String(signIn.headers['set-cookie']).split(';')[0]!;
  expect((await call('POST', '/api/auth/sign-out', { origin: base, cookie: cred.signedOut })).status).toBe(204);
  cred.key = await t.apiKey('matrix');
  // Used once (so it sits in the server's key cache), then revoked through the API.
  const doomed = (await call('POST', '/api/keys', { origin: base, cookie: await mintSession() }, { name: 'doomed' })).body;
  const { id: doomedId, key: doomedKey } = JSON.parse(doomed) as { id: string; key: string };
  expect((await call('POST', '/api/v1/log', { authorization: `Bearer ${doomedKey}` }, { name: 'before revocation' })).status).toBe(201);
  expect((await call('DELETE', `/api/keys/${doomedId}`, { origin: base, cookie: await mintSession() })).status).toBe(204);
  cred.revoked = doomedKey;
  const event = await call('POST', '/api/v1/log', { authorization: `Bearer ${cred.key}` }, {
    name: 'matrix event',
    category: 'matrix',
    actions: [{ key: 'go', buttonText: 'Go', url: 'http://127.0.0.1:9/hook' }],
  });
  ids.event = (JSON.parse(event.body) as { id: string }).id;
  // An event of its own for acknowledge, resolve, reopen (their rows run in order: a member, then the owner).
  ids.triage = (JSON.parse((await call('POST', '/api/v1/log', { authorization: `Bearer ${cred.key}` }, { name: 'triage matrix' })).body) as { id: string }).id;
  // Two presses waiting for two approvals each, asked for by someone who is neither column's person.
  const asker = await t.store.users.create('asker@example.com', 'x', 'member', Date.now());
  for (const name of ['approve', 'deny']) {
    const sent = await call('POST', '/api/v1/log', { authorization: `Bearer ${cred.key}` }, { name: `to ${name}`, actions: [{ key: 'refund', buttonText: 'Refund', url: 'http://127.0.0.1:9/hook', risk: 'critical' }] });
    const found = (await t.store.events.byId((JSON.parse(sent.body) as { id: string }).id))!;
    ids[`request ${name}`] = `req_matrix_${name}`;
    await t.store.transaction((tx) =>
      tx.pressRequests.open(
        { id: `req_matrix_${name}`, eventSeq: found.seq, key: 'refund', projectId: DEFAULT_PROJECT_ID, status: 'awaiting_approval', risk: 'critical', needed: 2,
          requestedBy: { id: asker.id, email: asker.email }, requestedAt: Date.now(), expiresAt: Date.now() + 3600_000, delaySeconds: 15, runsAt: null, webhookId: `msg_${name}` },
        Date.now(),
      ),
    );
  }
  for (const name of ['doomed 1', 'doomed 2']) {
    const sent = await call('POST', '/api/v1/log', { authorization: `Bearer ${cred.key}` }, { name });
    ids[name] = (JSON.parse(sent.body) as { id: string }).id;
  }
  ids.spareKey = JSON.parse((await call('POST', '/api/keys', { origin: base, cookie: await mintSession() }, { name: 'spare' })).body).id;
  ids.spareKey2 = JSON.parse((await call('POST', '/api/keys', { origin: base, cookie: await mintSession() }, { name: 'spare 2' })).body).id;
  // An integration whose URL the hook row posts to, and a spare one to rotate and delete.
  const integration = async (source: string) => call('POST', '/api/projects/default/integrations', { origin: base, cookie: await mintSession() }, { source });
  ids.hookPath = new URL(JSON.parse((await integration('uptime-kuma')).body).url).pathname;
  ids.spareIntegration = JSON.parse((await integration('grafana')).body).id;
  ids.stripeIntegration = JSON.parse((await integration('stripe')).body).id;
  const owner = (await t.store.users.byEmail(OWNER_EMAIL))!;
  const device = { userId: owner.id, p256dh: 'B'.padEnd(87, 'A'), auth: 'A'.repeat(22), deviceName: 'matrix', oldEndpoint: null, now: Date.now() };
  ids.device = (await t.store.push.saveSubscription({ ...device, endpoint: 'http://127.0.0.1:9/push/1' }))!;
  await t.store.push.saveSubscription({ ...device, endpoint: 'http://127.0.0.1:9/push/2' });
});

afterAll(async () => {
  await t?.cleanup();
});

function rows(): Row[] {
  const subscription = (column: Column) => ({
    endpoint: `http://127.0.0.1:9/push/new-${column}`,
    keys: { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') },
    deviceName: 'matrix phone',
  });
  // expected: one status per column, in COLUMNS order:
  //           [none, apiKey, revokedKey, signedOut, foreignOrigin, crossSite, plainText, member, session]
  return [
    { route: 'GET /healthz', expected: OPEN },
    { route: 'GET /readyz', expected: OPEN },
    { route: 'GET /api/openapi.json', expected: OPEN },
    { route: 'POST /api/v1/log', body: { name: 'matrix' }, expected: INGEST },
    { route: 'POST /api/v1/ingest', body: { name: 'matrix' }, expected: INGEST },
    // The matrix's key has the default scope (ingest): reading needs a read key (test/read-api.test.ts).
    { route: 'GET /api/v1/events', expected: [401, 403, 401, 401, 401, 401, 401, 401, 401] },
    { route: 'GET /api/v1/events/:id', path: '/api/v1/events/nope', expected: [401, 403, 401, 401, 401, 401, 401, 401, 401] },
    // Any key of the project reads a decision (ingest scope too): an event it does not have is 404.
    { route: 'GET /api/v1/events/:id/decision', path: '/api/v1/events/nope/decision', expected: [401, 404, 401, 401, 401, 401, 401, 401, 401] },
    // The MCP server: only a key passes (before the body is read, so text/plain is a 401 too); the
    // matrix sends no `Accept: application/json, text/event-stream`, so the key's call is refused 406
    // (test/mcp.test.ts calls it properly). Stateless: GET and DELETE are 405 for anyone.
    { route: 'POST /mcp', body: { jsonrpc: '2.0', id: 1, method: 'tools/list' }, expected: [401, 406, 401, 401, 401, 401, 401, 401, 401] },
    { route: 'GET /mcp', expected: [405, 405, 405, 405, 405, 405, 405, 405, 405] },
    { route: 'DELETE /mcp', expected: [405, 405, 405, 405, 405, 405, 405, 405, 405] },
    { route: 'POST /api/v1/identify', body: { userId: 'u1' }, expected: [401, 200, 401, 401, 401, 401, 401, 401, 401] },
    { route: 'OPTIONS /api/v1/*', path: '/api/v1/log', expected: [204, 204, 204, 204, 204, 204, 204, 204, 204] },
    { route: 'GET /api/auth/status', expected: OPEN },
    { route: 'POST /api/auth/setup', body: { token: 'guess', email: 'x@example.com', password: 'long enough password' }, expected: [403, 403, 403, 403, 403, 403, 415, 403, 403] },
    // Signing in with a passkey (public). Before the wrong-password rows: an address that has failed
    // 30 times (the sign-in limiter's burst, which they spend) gets no more sign-in challenges (429).
    { route: 'POST /api/auth/passkey/options', expected: [200, 200, 200, 200, 403, 403, 415, 200, 200] },
    { route: 'POST /api/auth/passkey', body: { assertion: {} }, expected: [400, 400, 400, 400, 403, 403, 415, 400, 400] },
    { route: 'POST /api/auth/sign-in', body: { email: OWNER_EMAIL, password: 'wrong password' }, expected: WRITE(401) },
    { route: 'POST /api/auth/sign-out', expected: [204, 204, 204, 204, 403, 403, 415, 204, 204] },
    // Single sign-on is not set up here: both routes answer 404 to everyone (test/oidc.test.ts runs them set up).
    { route: 'GET /api/auth/oidc/start', expected: [404, 404, 404, 404, 404, 404, 404, 404, 404] },
    { route: 'GET /api/auth/oidc/callback', expected: [404, 404, 404, 404, 404, 404, 404, 404, 404] },
    { route: 'GET /api/keys', expected: OWNER_READ },
    { route: 'POST /api/keys', body: { name: 'from matrix' }, expected: OWNER_WRITE(201) },
    { route: 'DELETE /api/keys/:id', path: `/api/keys/${ids.spareKey}`, expected: OWNER_WRITE(204) },
    { route: 'GET /api/events', expected: READ },
    { route: 'GET /api/events/:id', path: `/api/events/${ids.event}`, expected: READ },
    { route: 'GET /api/categories', expected: READ },
    { route: 'GET /api/stream', expected: READ },
    { route: 'POST /api/events/:id/actions/:key/trigger', path: `/api/events/${ids.event}/actions/go/trigger`, expected: WRITE(200) },
    // Presses that wait: nothing waits on `go` (409); the member's yes is the first of two, the
    // owner's the second; the member's no ends the other, so the owner finds it closed (409).
    { route: 'POST /api/events/:id/actions/:key/cancel', path: `/api/events/${ids.event}/actions/go/cancel`, expected: WRITE(409) },
    { route: 'POST /api/approvals/:id/approve', path: `/api/approvals/${ids['request approve']}/approve`, expected: WRITE(200) },
    { route: 'POST /api/approvals/:id/deny', path: `/api/approvals/${ids['request deny']}/deny`, body: { reason: 'matrix' }, expected: WRITE(409, 200) },
    { route: 'GET /api/settings/webhook-secret', expected: OWNER_READ },
    { route: 'POST /api/settings/webhook-secret/rotate', expected: OWNER_WRITE(200) },
    { route: 'GET /api/push/public-key', expected: READ },
    { route: 'PUT /api/push/subscriptions', body: subscription, expected: WRITE(200) },
    { route: 'GET /api/push/subscriptions', expected: READ },
    { route: 'POST /api/push/test', expected: WRITE(202) },
    // The member's attempt on the owner's device finds nothing to delete.
    { route: 'DELETE /api/push/subscriptions/:id', path: `/api/push/subscriptions/${ids.device}`, expected: WRITE(204, 404) },
    // Deleting an event: admins (the owner's session deletes it, last).
    { route: 'DELETE /api/events/:id', path: `/api/events/${ids['doomed 1']}`, expected: OWNER_WRITE(204) },
    { route: 'DELETE /api/projects/:slug/events/:id', path: `/api/projects/default/events/${ids['doomed 2']}`, expected: OWNER_WRITE(204) },
    // Handled: any member.
    // Working an event together (§12): the member makes the change, the owner then finds it made (409).
    { route: 'POST /api/events/:id/ack', path: `/api/events/${ids.triage}/ack`, expected: WRITE(409, 200) },
    { route: 'POST /api/projects/:slug/events/:id/ack', path: `/api/projects/default/events/${ids.triage}/ack`, expected: WRITE(409) },
    { route: 'POST /api/events/:id/resolve', path: `/api/events/${ids.triage}/resolve`, expected: WRITE(409, 200) },
    { route: 'POST /api/projects/:slug/events/:id/resolve', path: `/api/projects/default/events/${ids.triage}/resolve`, expected: WRITE(409) },
    { route: 'POST /api/events/:id/reopen', path: `/api/events/${ids.triage}/reopen`, expected: WRITE(409, 200) },
    { route: 'POST /api/projects/:slug/events/:id/reopen', path: `/api/projects/default/events/${ids.triage}/reopen`, expected: WRITE(409) },
    { route: 'POST /api/events/:id/assign', path: `/api/events/${ids.triage}/assign`, body: { userId: null }, expected: WRITE(200) },
    { route: 'POST /api/projects/:slug/events/:id/assign', path: `/api/projects/default/events/${ids.triage}/assign`, body: { userId: null }, expected: WRITE(200) },
    { route: 'POST /api/events/:id/snooze', path: `/api/events/${ids.triage}/snooze`, body: { until: new Date(Date.now() + 3_600_000).toISOString() }, expected: WRITE(200) },
    { route: 'POST /api/projects/:slug/events/:id/snooze', path: `/api/projects/default/events/${ids.triage}/snooze`, body: { until: new Date(Date.now() + 3_600_000).toISOString() }, expected: WRITE(200) },
    { route: 'DELETE /api/events/:id/snooze', path: `/api/events/${ids.triage}/snooze`, expected: WRITE(200) },
    { route: 'DELETE /api/projects/:slug/events/:id/snooze', path: `/api/projects/default/events/${ids.triage}/snooze`, expected: WRITE(200) },
    { route: 'GET /api/triage-counts', expected: READ },
    { route: 'GET /api/projects/:slug/triage-counts', path: '/api/projects/default/triage-counts', expected: READ },
    { route: 'GET /api/events/:id/notes', path: `/api/events/${ids.triage}/notes`, expected: READ },
    { route: 'GET /api/projects/:slug/events/:id/notes', path: `/api/projects/default/events/${ids.triage}/notes`, expected: READ },
    { route: 'POST /api/events/:id/notes', path: `/api/events/${ids.triage}/notes`, body: { text: 'from the matrix' }, expected: WRITE(201) },
    { route: 'POST /api/projects/:slug/events/:id/notes', path: `/api/projects/default/events/${ids.triage}/notes`, body: { text: 'from the matrix' }, expected: WRITE(201) },
    { route: 'PUT /api/events/:id/handled', path: `/api/events/${ids.event}/handled`, body: { handled: true }, expected: WRITE(200) },
    { route: 'PUT /api/projects/:slug/events/:id/handled', path: `/api/projects/default/events/${ids.event}/handled`, body: { handled: false }, expected: WRITE(200) },
    // The same routes under the project's own path.
    { route: 'GET /api/projects/:slug/events', path: '/api/projects/default/events', expected: READ },
    { route: 'GET /api/projects/:slug/events/:id', path: `/api/projects/default/events/${ids.event}`, expected: READ },
    { route: 'GET /api/projects/:slug/categories', path: '/api/projects/default/categories', expected: READ },
    { route: 'GET /api/projects/:slug/stream', path: '/api/projects/default/stream', expected: READ },
    // Across every project the person is in (the app's /all).
    { route: 'GET /api/all/events', expected: READ },
    { route: 'GET /api/all/events/:id', path: `/api/all/events/${ids.event}`, expected: READ },
    { route: 'GET /api/all/stream', expected: READ },
    // The first-run checklist's progress: anyone in the project.
    { route: 'GET /api/projects/:slug/progress', path: '/api/projects/default/progress', expected: READ },
    { route: 'GET /api/insights', expected: READ },
    { route: 'GET /api/projects/:slug/insights', path: '/api/projects/default/insights?days=90', expected: READ },
    { route: 'GET /api/projects/:slug/keys', path: '/api/projects/default/keys', expected: OWNER_READ },
    { route: 'POST /api/projects/:slug/keys', path: '/api/projects/default/keys', body: { name: 'project key' }, expected: OWNER_WRITE(201) },
    { route: 'DELETE /api/projects/:slug/keys/:id', path: `/api/projects/default/keys/${ids.spareKey2}`, expected: OWNER_WRITE(204) },
    { route: 'GET /api/projects/:slug/webhook-secret', path: '/api/projects/default/webhook-secret', expected: OWNER_READ },
    // Integrations (§13): admins manage them; a delivery's credential is the token in its URL (so
    // every column is let in), and PagerDuty's routing_key is in the body.
    { route: 'GET /api/projects/:slug/integrations', path: '/api/projects/default/integrations', expected: OWNER_READ },
    { route: 'POST /api/projects/:slug/integrations', path: '/api/projects/default/integrations', body: { source: 'sentry' }, expected: OWNER_WRITE(201) },
    { route: 'POST /api/projects/:slug/integrations/:id/rotate', path: `/api/projects/default/integrations/${ids.spareIntegration}/rotate`, expected: OWNER_WRITE(201) },
    { route: 'PUT /api/projects/:slug/integrations/:id/secret', path: `/api/projects/default/integrations/${ids.stripeIntegration}/secret`, body: { secret: 'whsec_matrix' }, expected: OWNER_WRITE(204) },
    { route: 'DELETE /api/projects/:slug/integrations/:id', path: `/api/projects/default/integrations/${ids.spareIntegration}`, expected: OWNER_WRITE(204) },
    { route: 'POST /api/v1/hooks/:source/:token', path: ids.hookPath, body: { heartbeat: { status: 0, msg: 'down', monitorID: 1 }, monitor: { id: 1, name: 'Matrix' } }, expected: OPEN },
    { route: 'POST /v2/enqueue', body: { routing_key: cred.key, event_action: 'trigger', payload: { summary: 'matrix', source: 'matrix', severity: 'info' } }, expected: [202, 202, 202, 202, 202, 202, 202, 202, 202] },
    { route: 'POST /api/projects/:slug/webhook-secret/rotate', path: '/api/projects/default/webhook-secret/rotate', expected: OWNER_WRITE(200) },
    // Projects, members, invites, the audit log: admins (owners create and delete projects).
    { route: 'GET /api/projects', expected: READ },
    { route: 'POST /api/projects', body: { name: 'From the matrix' }, expected: OWNER_WRITE(201) },
    { route: 'GET /api/projects/:slug', path: '/api/projects/default', expected: READ },
    { route: 'PATCH /api/projects/:slug', path: '/api/projects/default', body: { name: 'Default' }, expected: OWNER_WRITE(200) },
    { route: 'DELETE /api/projects/:slug', path: '/api/projects/default', body: { confirm: 'not its name' }, expected: OWNER_WRITE(400) },
    { route: 'GET /api/projects/:slug/members', path: '/api/projects/default/members', expected: OWNER_READ },
    { route: 'PATCH /api/projects/:slug/members/:userId', path: `/api/projects/default/members/${ids.member}`, body: { role: 'member' }, expected: OWNER_WRITE(200) },
    { route: 'DELETE /api/projects/:slug/members/:userId', path: '/api/projects/default/members/nobody', expected: OWNER_WRITE(404) },
    { route: 'POST /api/projects/:slug/members/:userId/password-reset', path: `/api/projects/default/members/${ids.member}/password-reset`, expected: OWNER_WRITE(201) },
    { route: 'GET /api/projects/:slug/invites', path: '/api/projects/default/invites', expected: OWNER_READ },
    { route: 'POST /api/projects/:slug/invites', path: '/api/projects/default/invites', body: { role: 'viewer' }, expected: OWNER_WRITE(201) },
    { route: 'DELETE /api/projects/:slug/invites/:id', path: '/api/projects/default/invites/nope', expected: OWNER_WRITE(404) },
    // Owners name owners: the member may not make themself one.
    { route: 'PUT /api/users/:id/owner', path: `/api/users/${ids.member}/owner`, body: { owner: false }, expected: OWNER_WRITE(200) },
    // Members read its presses (the rest is filtered out for them); a stranger to the project gets 404.
    { route: 'GET /api/projects/:slug/audit', path: '/api/projects/default/audit', expected: READ },
    { route: 'GET /api/projects/:slug/notifications', path: '/api/projects/default/notifications', expected: READ },
    { route: 'PUT /api/projects/:slug/notifications', path: '/api/projects/default/notifications', body: { enabled: true, muted: [] }, expected: WRITE(200) },
    // The press policy: everyone in the project reads it; admins change it.
    { route: 'GET /api/projects/:slug/policy', path: '/api/projects/default/policy', expected: READ },
    { route: 'PUT /api/projects/:slug/policy', path: '/api/projects/default/policy', body: { high: { delaySeconds: 5 } }, expected: OWNER_WRITE(200) },
    // Public, and proving themselves in the handler: a guessed token gets nothing.
    { route: 'POST /api/invites/lookup', body: { token: 'guess' }, expected: [404, 404, 404, 404, 403, 403, 415, 404, 404] },
    // Signed out, a new account needs a name (400); signed in, the one-click join finds no invite (404).
    { route: 'POST /api/invites/accept', body: { token: 'guess' }, expected: [400, 400, 400, 400, 403, 403, 415, 404, 404] },
    { route: 'POST /api/auth/reset-password', body: { token: 'guess', password: 'long enough password' }, expected: [410, 410, 410, 410, 403, 403, 415, 410, 410] },
    // Your own account: any session; the wrong current password is refused.
    { route: 'PATCH /api/account', body: { name: 'Matrix' }, expected: WRITE(200) },
    { route: 'GET /api/account/quiet-hours', expected: READ },
    { route: 'PUT /api/account/quiet-hours', body: { quietHours: { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin' } }, expected: WRITE(200) },
    { route: 'POST /api/account/password', body: { currentPassword: 'wrong', password: 'long enough password' }, expected: WRITE(403) },
    { route: 'POST /api/account/email', body: { currentPassword: 'wrong', email: 'x@example.com' }, expected: WRITE(403) },
    { route: 'POST /api/account/sign-out-others', expected: WRITE(200) },
    // Proving who you are again: any session (a missing password is 400; a wrong one, test/policy.test.ts).
    { route: 'POST /api/auth/step-up', body: { password: '' }, expected: WRITE(400) },
    // Passkeys. Nobody here has one: the step-up options say so (409); a malformed answer is a 400
    // before anything counts in the sign-in limiter; another person's (or no) passkey id is a 404.
    { route: 'POST /api/auth/step-up/options', expected: WRITE(409) },
    { route: 'GET /api/account/passkeys', expected: READ },
    { route: 'POST /api/account/passkeys/options', expected: WRITE(200) },
    { route: 'POST /api/account/passkeys', body: { credential: {} }, expected: WRITE(400) },
    { route: 'PATCH /api/account/passkeys/:id', path: '/api/account/passkeys/nope', body: { name: 'Laptop' }, expected: WRITE(404) },
    { route: 'DELETE /api/account/passkeys/:id', path: '/api/account/passkeys/nope', expected: WRITE(404) },
  ];
}

/** `METHOD /path` of every route the app registered, read from Fastify's route tree. */
function registeredRoutes(): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    // The OPTIONS wildcard of the ingest API prints as a bare `*`.
    const path = m[2] === '*' ? '/api/v1/*' : (stack[depth - 1] ?? '') + m[2];
    stack.push(path);
    for (const method of m[3]!.split(', ')) out.add(`${method} ${path}`);
  }
  return out;
}

describe('access matrix: every route × every credential', () => {
  it('covers every registered route (a new route must be added to the table)', () => {
    const table = rows().flatMap((r) => (r.route.startsWith('GET ') ? [r.route, r.route.replace('GET', 'HEAD')] : [r.route]));
    expect([...registeredRoutes()].sort()).toEqual(table.sort());
  });

  it('answers each route × credential cell as the contract says (HEAD like GET), with no CORS opening on session routes and Cache-Control: no-store on every answer', async () => {
    const cells: { route: string; column: Column; expected: number; got: number; code?: string }[] = [];
    const noStore: string[] = [];
    for (const row of rows()) {
      const [method, pattern] = row.route.split(' ') as [string, string];
      const path = row.path ?? pattern;
      for (const m of method === 'GET' ? ['GET', 'HEAD'] : [method]) {
        for (const [i, column] of COLUMNS.entries()) {
          const body = typeof row.body === 'function' ? (row.body as (c: Column) => unknown)(column) : row.body;
          const res = await call(m, path, await headersFor(column), body);
          const hasBody = res.status >= 400 && m !== 'HEAD';
          if (hasBody) expect(errorShapeProblem(res), `${m} ${pattern} as ${column}`).toBeNull();
          const code = hasBody ? (JSON.parse(res.body) as { error: { code: string } }).error.code : undefined;
          cells.push({ route: `${m} ${pattern}`, column, expected: row.expected[i]!, got: res.status, code });
          if (!path.startsWith('/api/v1/')) expect(res.headers['access-control-allow-origin'], `${m} ${pattern} must not open CORS`).toBeUndefined();
          // Answers carry keys, secrets and events: no browser or proxy cache may keep one.
          if (!String(res.headers['cache-control']).includes('no-store')) noStore.push(`${m} ${pattern} as ${column}: ${res.headers['cache-control']}`);
        }
      }
    }
    expect(noStore).toEqual([]);
    const wrong = cells.filter((c) => c.got !== c.expected).map((c) => `${c.route} as ${c.column}: expected ${c.expected}, got ${c.got} ${c.code ?? ''}`);
    expect(wrong).toEqual([]);
    // A 403 from a foreign page is the CSRF guard's; from the own origin it never is.
    for (const c of cells.filter((x) => x.got === 403 && x.code !== undefined)) {
      expect(c.code === 'cross_site_request', `${c.route} as ${c.column}: ${c.code}`).toBe(c.column === 'foreignOrigin' || c.column === 'crossSite');
    }
    console.log(`[access-matrix] ${cells.length} route × credential cells`);
  });
});

/** Spellings of one path that a router may take for it: percent-encoded letters, doubled slashes, other case. */
function spellings(path: string): string[] {
  const rest = path.slice('/api/'.length);
  const firstLetter = rest.search(/[a-z]/);
  const encodedRest = `${rest.slice(0, firstLetter)}%${rest.charCodeAt(firstLetter).toString(16)}${rest.slice(firstLetter + 1)}`;
  return [
    `/%61pi/${rest}`,
    `/%61%70%69/${rest}`,
    `/%41pi/${rest}`,
    `/api/${encodedRest}`,
    `//api/${rest}`,
    `/api//${rest}`,
    `/API/${rest}`,
    `/Api/${rest}`,
    `/api/${rest.toUpperCase()}`,
    `/api/./${rest}`,
    `/api/v1/../${rest}`,
    `/api/v1/%2e%2e/${rest}`,
  ];
}

describe('the cross-site guard judges the route the router matched, not the raw path', () => {
  // Counts rows with SQL on whichever store the app runs (TEST_STORE).
  it('refuses every state-changing session route, however spelled, from another origin or as text/plain, and nothing changes', async () => {
    const count = (table: string) => countRows(t, table);
    const owner = async () => ({ cookie: await mintSession() });
    const { port } = new URL(base);
    const attacks: [string, () => Promise<Record<string, string>>][] = [
      ['another port of this host', async () => ({ ...(await owner()), origin: `http://127.0.0.1:${Number(port) + 1}`, 'sec-fetch-site': 'same-site', 'content-type': 'text/plain' })],
      ['a foreign origin sending JSON', async () => ({ ...(await owner()), origin: 'https://evil.example' })],
      ['a cross-site no-cors fetch', async () => ({ ...(await owner()), 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' })],
      ['the own origin with text/plain', async () => ({ ...(await owner()), origin: base, 'content-type': 'text/plain' })],
      ['no Origin at all', async () => ({ ...(await owner()), 'content-type': 'text/plain' })],
    ];
    const secret = () => t.store.settings.get('webhook_secret');
    const before = { secret: await secret(), keys: await count('api_keys'), attempts: await count('action_attempts'), devices: await count('push_subscriptions'), sessions: await count('sessions') };
    // The API-key routes (ingest, MCP) read no cookie: they have no cross-site guard to judge.
    const writes = rows().filter((r) => !/^(GET|HEAD|OPTIONS) /.test(r.route) && !r.route.includes(' /api/v1/') && !r.route.endsWith(' /mcp') && r.route !== 'POST /v2/enqueue' && r.route !== 'POST /api/auth/sign-out');
    const wrong: string[] = [];
    let sent = 0;
    for (const row of writes) {
      const [method, pattern] = row.route.split(' ') as [string, string];
      for (const path of spellings(row.path ?? pattern)) {
        for (const [label, headers] of attacks) {
          const h = await headers();
          const body = typeof row.body === 'function' ? (row.body as (c: Column) => unknown)('session') : row.body;
          const res = await call(method, path, h, body);
          sent++;
          if (![403, 404, 415].includes(res.status)) wrong.push(`${method} ${path} from ${label}: ${res.status} ${res.body.slice(0, 100)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    const sessionsMinted = sent;
    expect({ secret: await secret(), keys: await count('api_keys'), attempts: await count('action_attempts'), devices: await count('push_subscriptions'), sessions: (await count('sessions')) - sessionsMinted }).toEqual(before);
    // The encoded spelling really reaches the route (so the guard had something to decide): from the
    // own origin, with JSON, it makes a key.
    const made = await call('POST', '/%61pi/keys', { origin: base, cookie: await mintSession() }, { name: 'encoded but legitimate' });
    expect(made.status).toBe(201);
    console.log(`[access-matrix] ${sent} spelled-differently state-changing requests refused`);
  });
});

const HOSTILE = [
  "' OR 1=1 --", '"; DROP TABLE events; --', "'; DELETE FROM api_keys; --", '1 UNION SELECT password_hash FROM users',
  '%', '_', '%_%', '\\', '\\\'', '\u0000', 'a\u0000b', '*', '"', 'NEAR(a b)', '😀', 'x'.repeat(99), 'x'.repeat(4000),
];

describe('SQL safety of every id, cursor, filter and key', () => {
  // Counts rows with SQL on whichever store the app runs (TEST_STORE).
  it('never answers 5xx, and every table keeps its rows', async () => {
    const count = (table: string) => countRows(t, table);
    const tables = ['events', 'api_keys', 'users', 'sessions', 'push_subscriptions', 'actions'];
    const session = { origin: base, cookie: await mintSession() };
    const before = Object.fromEntries(await Promise.all(tables.map(async (x) => [x, await count(x)])));
    expect(before.events).toBeGreaterThan(0);
    const failures: string[] = [];
    let sent = 0;
    for (const raw of HOSTILE) {
      const v = encodeURIComponent(raw);
      const targets: [string, string, number[]][] = [
        ['GET', `/api/events/${v}`, [404, 414]],
        ['GET', `/api/events?cursor=${v}`, [400]],
        ['GET', `/api/events?category=${v}`, raw.length > 64 ? [400] : [200]],
        ['GET', `/api/events?q=${v}`, raw.length > 200 ? [400] : [200]],
        ['GET', `/api/events?test=${v}&limit=${v}`, [400]],
        ['GET', `/api/categories?test=${v}`, [400]],
        ['GET', `/api/stream?test=${v}`, [400]],
        ['GET', `/api/stream?after=${v}`, [400]],
        ['POST', `/api/events/${v}/actions/go/trigger`, [404, 414]],
        ['POST', `/api/events/${ids.event}/actions/${v}/trigger`, [404, 414]],
        ['DELETE', `/api/keys/${v}`, [404, 414]],
        ['DELETE', `/api/push/subscriptions/${v}`, [404, 414]],
      ];
      // Quotes and backslashes are legal in a request line unescaped: send those raw as well.
      if (/^[\x21-\x7e]+$/.test(raw)) targets.push(['GET', `/api/events/${raw}`, [400, 404, 414]], ['DELETE', `/api/keys/${raw}`, [400, 404, 414]]);
      for (const [method, path, expected] of targets) {
        const res = await call(method, path, session);
        sent++;
        if (res.status >= 500 || !expected.includes(res.status)) failures.push(`${method} ${path.slice(0, 80)}: ${res.status} ${res.body.slice(0, 120)}`);
      }
      const stream = await send(base, { method: 'GET', path: '/api/stream', headers: { ...session, 'last-event-id': raw.replace(/[^\x20-\x7e]/g, '?') }, eventStream: true });
      if (stream.status !== 200) failures.push(`Last-Event-ID ${raw.slice(0, 20)}: ${stream.status}`);
    }
    expect(failures).toEqual([]);
    expect(Object.fromEntries(await Promise.all(tables.map(async (x) => [x, await count(x)])))).toEqual(before);
    console.log(`[access-matrix] ${sent} SQL-ish requests, no 5xx`);
  });
});

describe('reset and invite links across projects', () => {
  // From an address of its own: the matrix sends many made-up tokens and wrong passwords from 127.0.0.1,
  // which the per-address limit counts.
  const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) => callFrom(method, path, headers, body, '127.0.0.2');
  /**
   * Two projects and the people an attacker would use: an admin of alpha; someone who is a member of
   * alpha and admin of beta; a member of alpha only; a viewer of beta; the owner. Each link is made by
   * one of them for another, through a project's routes, and used over HTTP.
   */
  it('an admin’s reset and invite power ends at their project, and their links end with their role', async () => {
    const store = t.store;
    const [alpha, beta] = [(await store.projects.create('m-alpha', 'Alpha', Date.now()))!, (await store.projects.create('m-beta', 'Beta', Date.now()))!];
    const people: Record<string, string> = {};
    for (const [name, roles] of Object.entries({
      aliceAdminAlpha: [[alpha.id, 'admin']],
      erinAdminAlpha: [[alpha.id, 'admin']], // so that alice is not alpha's last admin
      bobAlphaAndAdminBeta: [[alpha.id, 'member'], [beta.id, 'admin']],
      carolAlphaOnly: [[alpha.id, 'member']],
      daveViewerBeta: [[beta.id, 'viewer']],
    } as Record<string, [number, 'viewer' | 'member' | 'admin'][]>)) {
      people[name] = (await store.users.create(`${name}@matrix.example`, 'not a usable hash', 'member', Date.now())).id;
      for (const [project, role] of roles) await store.members.add(project, people[name]!, role, Date.now());
    }
    people.owner = (await store.users.byEmail(OWNER_EMAIL))!.id;
    const as = async (who: string) => ({ origin: base, 'sec-fetch-site': 'same-origin', cookie: await mintSession(who === 'owner' ? OWNER_EMAIL : `${who}@matrix.example`) });
    const reset = async (maker: string, slug: string, target: string) =>
      (await call('POST', `/api/projects/${slug}/members/${people[target]}/password-reset`, await as(maker))).status;

    const cells: [string, string, string, number][] = [
      ['owner', 'm-alpha', 'bobAlphaAndAdminBeta', 201],
      ['aliceAdminAlpha', 'm-alpha', 'bobAlphaAndAdminBeta', 403], // also in beta: only an owner
      ['aliceAdminAlpha', 'm-alpha', 'owner', 403],
      ['aliceAdminAlpha', 'm-alpha', 'carolAlphaOnly', 201],
      ['aliceAdminAlpha', 'm-alpha', 'daveViewerBeta', 404], // not in alpha
      ['aliceAdminAlpha', 'm-beta', 'daveViewerBeta', 404], // beta does not exist for alice
      ['bobAlphaAndAdminBeta', 'm-beta', 'carolAlphaOnly', 404],
      ['bobAlphaAndAdminBeta', 'm-alpha', 'carolAlphaOnly', 403], // a member of alpha
      ['bobAlphaAndAdminBeta', 'm-beta', 'daveViewerBeta', 201],
      ['daveViewerBeta', 'm-beta', 'bobAlphaAndAdminBeta', 403],
    ];
    const got = [];
    for (const [maker, slug, target] of cells) got.push([maker, slug, target, await reset(maker, slug, target)]);
    expect(got).toEqual(cells);

    // Invites: alice's invite list, revoke and create in beta are a 404; her alpha invite, taken by bob
    // (signed in), adds him to alpha only, with the invite's role.
    const alice = await as('aliceAdminAlpha');
    expect((await call('GET', '/api/projects/m-beta/invites', alice)).status).toBe(404);
    expect((await call('POST', '/api/projects/m-beta/invites', alice, { role: 'admin' })).status).toBe(404);
    const made = JSON.parse((await call('POST', '/api/projects/m-alpha/invites', alice, { role: 'viewer' })).body) as { id: string; url: string };
    expect((await call('DELETE', `/api/projects/m-beta/invites/${made.id}`, await as('bobAlphaAndAdminBeta'))).status).toBe(404);
    const token = new URL(made.url).hash.replace('#token=', '');
    expect((await call('POST', '/api/invites/accept', await as('daveViewerBeta'), { token })).status).toBe(200);
    expect(await store.members.role(alpha.id, people.daveViewerBeta!)).toBe('viewer');
    expect(await store.members.role(beta.id, people.daveViewerBeta!)).toBe('viewer');

    // Alice's reset link and an admin invite of hers die when she is removed from alpha.
    const link = JSON.parse((await call('POST', `/api/projects/m-alpha/members/${people.carolAlphaOnly}/password-reset`, alice)).body) as { url: string };
    const adminInvite = JSON.parse((await call('POST', '/api/projects/m-alpha/invites', alice, { role: 'admin' })).body) as { url: string };
    expect((await call('DELETE', `/api/projects/m-alpha/members/${people.aliceAdminAlpha}`, await as('owner'))).status).toBe(204);
    const resetToken = new URL(link.url).hash.replace('#token=', '');
    expect((await call('POST', '/api/auth/reset-password', { origin: base }, { token: resetToken, password: 'long enough password' })).status).toBe(410);
    const inviteToken = new URL(adminInvite.url).hash.replace('#token=', '');
    expect((await call('POST', '/api/invites/accept', await as('daveViewerBeta'), { token: inviteToken })).status).toBe(410);
    expect(await store.members.role(alpha.id, people.daveViewerBeta!)).toBe('viewer');
  });
});

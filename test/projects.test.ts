/**
 * Projects, teammates and roles through the HTTP API (CONTRACT §7): invite links, joining, what each
 * role may press, removal taking effect at once (requests and open streams), the audit trail, keys
 * writing into their own project, renaming and deleting, and "handled".
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, CreatedInvite, EventDto, FeedPage, InviteInfo, MemberDto, ProjectDto } from '../contract/api.ts';
import { type ActionsApp, actionsApp, errorCode, flatHeaders, startReceiver, stopReceivers, webhookBody } from './actions-helpers.ts';
import { ingest, listenOnLoopback, OWN_ORIGIN, sessionCookie, sessionFor } from './helpers.ts';

let t: ActionsApp;
let clock = Date.now();
const json = { origin: OWN_ORIGIN, 'content-type': 'application/json' };

beforeAll(async () => {
  t = await actionsApp({ now: () => clock });
});
afterAll(async () => {
  await t?.cleanup();
  await stopReceivers();
});
afterEach(() => {
  clock = Date.now();
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** As the PWA calls: every write is JSON, `{}` when it has nothing to say. */
const call = (cookie: string | null, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { ...json, ...(cookie ? { cookie } : {}) }, ...(method === 'GET' ? {} : { payload: (payload ?? {}) as object }) });

async function project(name: string, slug?: string): Promise<ProjectDto> {
  const res = await call(t.cookie, 'POST', '/api/projects', { name, ...(slug ? { slug } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ProjectDto>();
}

/** An invite made by the owner and taken with a new account: the newcomer's cookie. */
async function join(slug: string, role: 'viewer' | 'member' | 'admin', email: string): Promise<{ cookie: string; id: string }> {
  const made = await call(t.cookie, 'POST', `/api/projects/${slug}/invites`, { role });
  expect(made.statusCode, made.body).toBe(201);
  const invite = made.json<CreatedInvite>();
  const token = new URL(invite.url).hash.replace('#token=', '');
  const res = await call(null, 'POST', '/api/invites/accept', { token, name: email.split('@')[0], email, password: 'a long enough password' });
  expect(res.statusCode, res.body).toBe(201);
  return { cookie: sessionCookie(res), id: res.json<{ me: { id: string } }>().me.id };
}

describe('projects', () => {
  it('an owner creates projects (slugs from names, numbered when taken, or chosen), lists them; others see only theirs', async () => {
    expect(await project('Billing & Payments')).toMatchObject({ slug: 'billing-payments', name: 'Billing & Payments', role: 'admin' });
    expect((await project('Billing & Payments')).slug).toBe('billing-payments-2');
    const taken = await call(t.cookie, 'POST', '/api/projects', { name: 'Other', slug: 'billing-payments' });
    expect([taken.statusCode, taken.json().error.field]).toEqual([409, 'slug']);
    expect((await call(t.cookie, 'POST', '/api/projects', { name: 'x', slug: 'Not A Slug' })).json().error.field).toBe('slug');
    const mia = await join('billing-payments', 'viewer', 'mia@example.com');
    const mine = (await call(mia.cookie, 'GET', '/api/projects')).json<{ projects: ProjectDto[] }>().projects;
    expect(mine.map((p) => [p.slug, p.role])).toEqual([['billing-payments', 'viewer']]);
    expect((await call(t.cookie, 'GET', '/api/projects')).json<{ projects: ProjectDto[] }>().projects.map((p) => p.slug)).toEqual(
      expect.arrayContaining(['default', 'billing-payments', 'billing-payments-2']),
    );
    expect((await call(mia.cookie, 'POST', '/api/projects', { name: 'Mine' })).statusCode).toBe(403);
  });

  it('an invite is for one role in one project, used once, listed while pending, revocable, and dead after 7 days', async () => {
    await project('Invites', 'invites');
    const make = async () => (await call(t.cookie, 'POST', '/api/projects/invites/invites', { role: 'member' })).json<CreatedInvite>();
    const tokenOf = (i: CreatedInvite) => new URL(i.url).hash.replace('#token=', '');
    const a = await make();
    expect(a.url).toMatch(/^http:\/\/localhost:8080\/invite#token=/); // from HOST and PORT, not the Host header
    const info = await call(null, 'POST', '/api/invites/lookup', { token: tokenOf(a) });
    expect(info.json<InviteInfo>()).toMatchObject({ project: { slug: 'invites', name: 'Invites' }, role: 'member' });
    expect((await call(t.cookie, 'GET', '/api/projects/invites/invites')).json().invites.map((i: { id: string }) => i.id)).toEqual([a.id]);

    const account = { name: 'Noor', email: 'noor@example.com', password: 'a long enough password' };
    const first = await call(null, 'POST', '/api/invites/accept', { token: tokenOf(a), ...account });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ me: { email: 'noor@example.com', name: 'Noor', role: 'member' }, project: { slug: 'invites' } });
    const again = await call(null, 'POST', '/api/invites/accept', { token: tokenOf(a), ...account, email: 'other@example.com' });
    expect([again.statusCode, errorCode(again)]).toEqual([410, 'invite_used']);
    expect((await call(t.cookie, 'GET', '/api/projects/invites/invites')).json().invites).toEqual([]);

    const b = await make();
    expect((await call(t.cookie, 'DELETE', `/api/projects/invites/invites/${b.id}`)).statusCode).toBe(204);
    expect(errorCode(await call(null, 'POST', '/api/invites/lookup', { token: tokenOf(b) }))).toBe('invite_revoked');

    const c = await make();
    clock = Date.now() + 7 * 24 * 3600_000 + 1;
    expect(errorCode(await call(null, 'POST', '/api/invites/lookup', { token: tokenOf(c) }))).toBe('invite_expired');
    clock = Date.now();
    expect(errorCode(await call(null, 'POST', '/api/invites/lookup', { token: 'made-up' }))).toBe('invite_not_found');

    // Someone signed in joins with one click (an empty body); an email that exists must sign in first.
    const d = await make();
    const taken = await call(null, 'POST', '/api/invites/accept', { token: tokenOf(d), ...account });
    expect([taken.statusCode, taken.json().error.field]).toEqual([409, 'email']);
    const noor = (await t.store.users.byEmail('noor@example.com'))!;
    await project('Second', 'second');
    const e = (await call(t.cookie, 'POST', '/api/projects/second/invites', { role: 'viewer' })).json<CreatedInvite>();
    const noorCookie = await sessionFor(t.store, noor.id);
    const oneClick = await call(noorCookie, 'POST', '/api/invites/accept', { token: tokenOf(e) });
    expect(oneClick.statusCode, oneClick.body).toBe(200);
    expect((await call(noorCookie, 'GET', '/api/projects')).json().projects.map((p: ProjectDto) => [p.slug, p.role])).toEqual([
      ['invites', 'member'], ['second', 'viewer'],
    ]);
  });

  it('members press, viewers cannot, an admin-only action is for admins; the webhook names the project and is signed with its own secret', async () => {
    await project('Presses', 'presses');
    const member = await join('presses', 'member', 'member@presses.example');
    const viewer = await join('presses', 'viewer', 'viewer@presses.example');
    const admin = await join('presses', 'admin', 'admin@presses.example');
    const key = (await call(t.cookie, 'POST', '/api/projects/presses/keys', { name: 'presses' })).json<{ key: string }>().key;
    const r = await startReceiver();
    const sent = await ingest(t.app, key, {
      name: 'Suspicious login',
      actions: [
        { key: 'lock', buttonText: 'Lock account', url: r.url, repeat: true },
        { key: 'wipe', buttonText: 'Wipe sessions', url: r.url, role: 'admin', repeat: true },
      ],
    });
    const id = sent.json<{ id: string }>().id;
    const press = (cookie: string, action: string) => t.press(id, action, { cookie, origin: OWN_ORIGIN });

    const refused = await press(viewer.cookie, 'lock');
    expect([refused.statusCode, refused.json().error.message]).toEqual([403, expect.stringContaining('member')]);
    expect((await press(member.cookie, 'lock')).statusCode).toBe(200);
    const adminsOnly = await press(member.cookie, 'wipe');
    expect([adminsOnly.statusCode, adminsOnly.json().error.message]).toEqual([403, expect.stringContaining('admin')]);
    expect((await press(admin.cookie, 'wipe')).statusCode).toBe(200);
    expect(r.requests).toHaveLength(2);

    const body = webhookBody(r.requests[0]) as ReturnType<typeof webhookBody> & { project: unknown };
    expect(body.project).toEqual({ slug: 'presses', name: 'Presses' });
    expect(body.pressedBy.email).toBe('member@presses.example');
    const secret = (await call(admin.cookie, 'GET', '/api/projects/presses/webhook-secret')).json<{ secret: string }>().secret;
    expect(secret).not.toBe(await t.secret());
    expect(() => new Webhook(secret).verify(r.requests[0]!.rawBody, flatHeaders(r.requests[0]!.headers))).not.toThrow();
    const defaultSecret = await t.secret();
    expect(() => new Webhook(defaultSecret).verify(r.requests[0]!.rawBody, flatHeaders(r.requests[0]!.headers))).toThrow();

    // The event, its key's project only: default's feed does not have it, and nobody outside sees it.
    expect((await call(t.cookie, 'GET', '/api/events')).json<FeedPage>().events.map((e) => e.id)).not.toContain(id);
    expect((await call(viewer.cookie, 'GET', '/api/projects/presses/events')).json<FeedPage>().events.map((e) => e.id)).toContain(id);
    expect((await call(viewer.cookie, 'GET', `/api/events/${id}`)).statusCode).toBe(404);
    const outsider = await join('second', 'admin', 'outsider@example.com');
    expect((await call(outsider.cookie, 'GET', `/api/projects/presses/events/${id}`)).json().error.message).toBe('no such project');
    expect((await t.press(id, 'lock', { cookie: outsider.cookie, origin: OWN_ORIGIN })).json().error.message).toBe('no such event');
  });

  it('removal holds at once: the next request finds no project and the open stream ends; role changes too; the last admin stays', async () => {
    await project('Removal', 'removal');
    const admin = await join('removal', 'admin', 'admin@removal.example');
    const gone = await join('removal', 'member', 'gone@removal.example');
    const base = await listenOnLoopback(t.app);
    const stream = await fetch(`${base}/api/projects/removal/stream`, { headers: { cookie: gone.cookie } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // retry: line
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();

    expect((await call(admin.cookie, 'PATCH', `/api/projects/removal/members/${gone.id}`, { role: 'viewer' })).json<MemberDto>().role).toBe('viewer');
    expect((await call(gone.cookie, 'GET', '/api/projects')).json().projects[0].role).toBe('viewer');
    expect((await call(admin.cookie, 'DELETE', `/api/projects/removal/members/${gone.id}`)).statusCode).toBe(204);
    expect(await ended).toBe(true);
    expect((await call(gone.cookie, 'GET', '/api/projects/removal/events')).statusCode).toBe(404);
    expect((await call(gone.cookie, 'GET', '/api/projects')).json().projects).toEqual([]);

    const last = await call(admin.cookie, 'PATCH', `/api/projects/removal/members/${admin.id}`, { role: 'member' });
    expect([last.statusCode, errorCode(last)]).toEqual([409, 'last_admin']);
    expect(errorCode(await call(admin.cookie, 'DELETE', `/api/projects/removal/members/${admin.id}`))).toBe('last_admin');
    const owner = (await t.store.users.byEmail('owner@example.com'))!;
    expect((await call(admin.cookie, 'DELETE', `/api/projects/removal/members/${owner.id}`)).statusCode).toBe(403);
    const members = (await call(admin.cookie, 'GET', '/api/projects/removal/members')).json<{ members: MemberDto[] }>().members;
    expect(members.map((m) => [m.email, m.role, m.owner])).toEqual([['owner@example.com', 'admin', true], ['admin@removal.example', 'admin', false]]);
  });

  it('keeps an audit trail of membership, keys, secrets and presses, in cursor pages, filtered by person and kind', async () => {
    await project('Audited', 'audited');
    const admin = await join('audited', 'admin', 'admin@audited.example');
    const mem = await join('audited', 'member', 'mem@audited.example');
    const created = (await call(admin.cookie, 'POST', '/api/projects/audited/keys', { name: 'ci' })).json<{ id: string }>();
    await call(admin.cookie, 'DELETE', `/api/projects/audited/keys/${created.id}`);
    await call(admin.cookie, 'POST', '/api/projects/audited/webhook-secret/rotate', {});
    await call(admin.cookie, 'PATCH', `/api/projects/audited/members/${mem.id}`, { role: 'viewer' });
    await call(admin.cookie, 'DELETE', `/api/projects/audited/members/${mem.id}`);
    await call(admin.cookie, 'PATCH', '/api/projects/audited', { name: 'Audited!' });

    const page = (q: string) => call(admin.cookie, 'GET', `/api/projects/audited/audit${q}`).then((r) => r.json<AuditPage>());
    const all = await page('?limit=200');
    expect(all.entries.map((e) => [e.kind, e.actor.email, e.subject]).reverse()).toEqual([
      ['project.created', 'owner@example.com', 'Audited'],
      ['invite.created', 'owner@example.com', 'admin'],
      ['invite.used', 'admin@audited.example', 'admin@audited.example'],
      ['member.added', 'admin@audited.example', 'admin@audited.example'],
      ['invite.created', 'owner@example.com', 'member'],
      ['invite.used', 'mem@audited.example', 'mem@audited.example'],
      ['member.added', 'mem@audited.example', 'mem@audited.example'],
      ['key.created', 'admin@audited.example', 'ci'],
      ['key.revoked', 'admin@audited.example', 'ci'],
      ['secret.rotated', 'admin@audited.example', null],
      ['member.role_changed', 'admin@audited.example', 'mem@audited.example'],
      ['member.removed', 'admin@audited.example', 'mem@audited.example'],
      ['project.renamed', 'admin@audited.example', 'Audited!'],
    ]);
    const first = await page('?limit=5');
    const second = await page(`?limit=5&cursor=${first.nextCursor}`);
    expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual(all.entries.slice(0, 10).map((e) => e.id));
    expect((await page(`?kind=member.removed`)).entries.map((e) => e.detail)).toEqual([{ role: 'viewer' }]);
    expect((await page(`?person=${mem.id}`)).entries.map((e) => e.kind)).toEqual(['member.added', 'invite.used']);
    expect((await call(admin.cookie, 'GET', '/api/projects/audited/audit?kind=bogus')).json().error.field).toBe('kind');
  });

  it('an owner names another owner (admin of every project), and never removes the last one', async () => {
    const ida = await join('invites', 'viewer', 'ida@example.com');
    expect((await call(ida.cookie, 'PUT', `/api/users/${ida.id}/owner`, { owner: true })).statusCode).toBe(403);
    expect((await call(t.cookie, 'PUT', `/api/users/${ida.id}/owner`, { owner: true })).json()).toEqual({ id: ida.id, owner: true });
    const seen = (await call(ida.cookie, 'GET', '/api/projects')).json<{ projects: ProjectDto[] }>().projects;
    expect(seen.every((p) => p.role === 'admin')).toBe(true);
    expect(seen.map((p) => p.slug)).toContain('default');
    expect((await call(ida.cookie, 'GET', '/api/projects/removal/members')).statusCode).toBe(200);
    expect((await call(ida.cookie, 'PUT', `/api/users/${ida.id}/owner`, { owner: false })).statusCode).toBe(200);
    // A plain account again: a viewer where invited, a stranger elsewhere.
    expect((await call(ida.cookie, 'GET', '/api/projects/invites/members')).statusCode).toBe(403);
    expect((await call(ida.cookie, 'GET', '/api/projects/removal/members')).statusCode).toBe(404);
    const me = (await t.store.users.byEmail('owner@example.com'))!;
    const last = await call(t.cookie, 'PUT', `/api/users/${me.id}/owner`, { owner: false });
    expect([last.statusCode, errorCode(last)]).toEqual([409, 'last_owner']);
  });

  it('deletes a project only with its name typed, never default; its keys stop at once', async () => {
    await project('Doomed', 'doomed');
    const key = (await call(t.cookie, 'POST', '/api/projects/doomed/keys', { name: 'k' })).json<{ key: string }>().key;
    expect((await ingest(t.app, key, { name: 'before' })).statusCode).toBe(201);
    const wrong = await call(t.cookie, 'DELETE', '/api/projects/doomed', { confirm: 'doomed' });
    expect([wrong.statusCode, wrong.json().error.field]).toEqual([400, 'confirm']);
    expect((await call(t.cookie, 'DELETE', '/api/projects/doomed', { confirm: 'Doomed' })).statusCode).toBe(204);
    expect((await ingest(t.app, key, { name: 'after' })).statusCode).toBe(401);
    expect((await call(t.cookie, 'GET', '/api/projects/doomed/events')).statusCode).toBe(404);
    expect(errorCode(await call(t.cookie, 'DELETE', '/api/projects/default', { confirm: 'Default' }))).toBe('default_project');
  });

  it('any member marks an event handled, seen by everyone with who and when; a filter hides handled events', async () => {
    await project('Triage', 'triage');
    const ana = await join('triage', 'member', 'ana@triage.example');
    const viewer = await join('triage', 'viewer', 'viewer@triage.example');
    const key = (await call(t.cookie, 'POST', '/api/projects/triage/keys', { name: 'k' })).json<{ key: string }>().key;
    const id = (await ingest(t.app, key, { name: 'Disk almost full' })).json<{ id: string }>().id;
    await ingest(t.app, key, { name: 'Other alert' });
    const marked = await call(ana.cookie, 'PUT', `/api/projects/triage/events/${id}/handled`, { handled: true });
    expect(marked.json<EventDto>().handled).toEqual({ by: 'ana@triage.example', at: expect.any(String) });
    expect((await call(viewer.cookie, 'PUT', `/api/projects/triage/events/${id}/handled`, { handled: false })).statusCode).toBe(403);
    const feed = (q: string) => call(viewer.cookie, 'GET', `/api/projects/triage/events${q}`).then((r) => r.json<FeedPage>().events.map((e) => e.name));
    expect(await feed('?unhandled=1')).toEqual(['Other alert']);
    expect(await feed('')).toEqual(['Other alert', 'Disk almost full']);
    expect((await call(viewer.cookie, 'GET', `/api/projects/triage/events/${id}`)).json().event.handled.by).toBe('ana@triage.example');
  });
});

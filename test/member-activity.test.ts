/**
 * Settings → Members through the HTTP API: each person's last activity (their latest session) and
 * whether the project's pushes would reach them (their choice for the project, and a device).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberDto, ProjectDto } from '../contract/api.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { type PushEndpoint, startPushEndpoint } from './fixtures/pushEndpoint.ts';
import { makeApp, OWN_ORIGIN, type TestApp } from './helpers.ts';

let t: TestApp;
let service: PushEndpoint;
let clock = Date.UTC(2026, 4, 4, 9, 30, 0);
const json = { origin: OWN_ORIGIN, 'content-type': 'application/json' };

beforeAll(async () => {
  service = await startPushEndpoint();
  t = await makeApp({ now: () => clock, env: { PUSH_ENDPOINT_HOSTS: service.host } });
});
afterAll(async () => {
  await t?.cleanup();
  await service?.close();
});

const call = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { ...json, cookie }, ...(method === 'GET' ? {} : { payload: payload ?? {} }) });

async function members(cookie: string, slug: string): Promise<Record<string, Pick<MemberDto, 'lastActiveAt' | 'notifications'>>> {
  const res = await call(cookie, 'GET', `/api/projects/${slug}/members`);
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries(res.json<{ members: MemberDto[] }>().members.map((m) => [m.email, { lastActiveAt: m.lastActiveAt, notifications: m.notifications }]));
}

describe('GET /api/projects/:slug/members', () => {
  it("shows when each person was last active and whether the project's pushes reach them", async () => {
    const signedInAt = clock;
    const owner = await t.signIn();
    const slug = (await call(owner, 'POST', '/api/projects', { name: 'Ops' })).json<ProjectDto>().slug;
    const zoe = await t.store.users.create('zoe@example.com', await hashPassword('a long enough password'), 'member', clock);
    await t.store.members.add((await t.store.projects.bySlug(slug))!.id, zoe.id, 'member', clock);

    // The owner signed in but has no device; Zoe never signed in.
    expect(await members(owner, slug)).toEqual({
      'owner@example.com': { lastActiveAt: new Date(signedInAt).toISOString(), notifications: false },
      'zoe@example.com': { lastActiveAt: null, notifications: false },
    });

    clock += 60_000;
    const device = service.subscription();
    const saved = await call(owner, 'PUT', '/api/push/subscriptions', { endpoint: device.endpoint, keys: device.keys, deviceName: 'Phone' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await members(owner, slug))['owner@example.com']).toEqual({ lastActiveAt: new Date(signedInAt).toISOString(), notifications: true });

    // Zoe signs in (a session: active now); pushes are on by default, but she has no device yet.
    clock += 5 * 60_000;
    const zoeSignIn = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: json, payload: { email: 'zoe@example.com', password: 'a long enough password' } });
    expect(zoeSignIn.statusCode, zoeSignIn.body).toBe(200);
    expect((await members(owner, slug))['zoe@example.com']).toEqual({ lastActiveAt: new Date(clock).toISOString(), notifications: false });

    // The owner turns this project's pushes off: off here, still on in another project.
    const off = await call(owner, 'PUT', `/api/projects/${slug}/notifications`, { enabled: false, muted: [] });
    expect(off.statusCode, off.body).toBe(200);
    expect((await members(owner, slug))['owner@example.com']).toMatchObject({ notifications: false });
    expect((await members(owner, 'default'))['owner@example.com']).toMatchObject({ notifications: true });
  });
});

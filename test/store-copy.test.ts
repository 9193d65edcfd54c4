/**
 * `cli store:copy --to postgres://…` as a real process: a seeded SQLite installation (owner, member,
 * sessions, keys, secret and VAPID keys, events with a thread, actions pressed for real against a
 * receiver, idempotency, the live log, a push device) lands in an empty PostgreSQL database with every
 * table equal row for row; a server on the copy takes the old key, session and Idempotency-Key answers and
 * signs with the old secret; search answers there; sequences go on after the copied numbers; a second
 * copy into the now non-empty database is refused and changes nothing.
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPY_ORDER, DERIVED_TABLES } from '../server/store/postgres/copy.ts';
import { searchQuery } from '../server/store/postgres/search.ts';
import { type ActionsApp, actionsApp, startReceiver, stopReceivers } from './actions-helpers.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { ROOT } from './fixtures/serverProcess.ts';
import { ingest, OWNER_EMAIL } from './helpers.ts';
import { OWN_ORIGIN } from './helpers.ts';
import type { EventDetail, FeedPage } from '../contract/api.ts';
import type { TriggerWaiting } from '../contract/api.ts';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';

let t: ActionsApp;
let database: TestDatabase;
let client: pg.Client;

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: t.dir },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

beforeAll(async () => {
  t = await actionsApp();
  const member = await t.store.users.create('member@example.com', 'not a usable hash', 'member', Date.now(), 'Mia');
  const ops = (await t.store.projects.create('ops', 'Ops', Date.now()))!;
  await t.store.members.add(ops.id, member.id, 'viewer', Date.now());
  await t.store.members.setPrefs(member.id, ops.id, { enabled: true, muted: ['deploys'] });
  await t.store.invites.create({ id: 'inv-1', projectId: ops.id, role: 'member', tokenHash: 'h', createdBy: null, now: Date.now(), expiresAt: Date.now() + 60_000 });
  // An open password-reset link: it survives the copy (the person it was made for may not have used it yet).
  await t.store.passwordResets.replace({ token_hash: 'rh', user_id: member.id, project_id: ops.id, created_by: null, created_at: Date.now(), expires_at: Date.now() + 60_000, fingerprint: 'f' });
  await t.secret(); // the webhook signing secret exists
  await t.store.policies.put(ops.id, '{"frozen":null,"high":{"stepUpMinutes":10,"approvals":1,"delaySeconds":20}}', Date.now(), 'owner@example.com');
  const ok = await startReceiver();
  const thread = await t.send({ name: 'Deploy 9 started', category: 'deploys', contextId: 'd9', contextStart: true, userId: 'u_9' });
  await t.send({ name: 'Deploy 9 finished', category: 'deploys', contextId: 'd9' });
  for (let i = 0; i < 1200; i++) await t.send({ name: `Signup ${i}`, content: `user${i}@example.com joined`, test: i % 10 === 0 });
  const pressed = await t.sendAction(ok.url, { type: 'danger', meta: { user: 9 } }, { userId: 'u_9', type: 'json', content: { amount: 42 } });
  // A high action waits for its delay (a stored request); a critical one for an approval, given here.
  expect((await t.press(pressed)).statusCode).toBe(202);
  const critical = await t.sendAction(ok.url, { key: 'refund', risk: 'critical' });
  const asked = await t.press(critical, 'refund');
  expect(asked.statusCode).toBe(202);
  const approver = (await t.store.users.byEmail('member@example.com'))!;
  await t.store.transaction((tx) => tx.pressRequests.approve(asked.json<TriggerWaiting>().request.id, { id: approver.id, email: approver.email }, Date.now()));
  const low = await t.sendAction(ok.url, { meta: { user: 9 } });
  expect((await t.press(low)).statusCode).toBe(200);
  expect((await ingest(t.app, t.key, { name: 'Retried' }, { 'idempotency-key': 'retry-1' })).statusCode).toBe(201);
  // Worked on together (§12): acknowledged, assigned, a note; a storm deduplicated into one event.
  for (const [path, payload] of [['ack', {}], ['notes', { text: 'on it' }], ['assign', { userId: (await t.store.users.byEmail('owner@example.com'))!.id }]] as const) {
    expect((await t.app.inject({ method: 'POST', url: `/api/events/${thread}/${path}`, headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload })).statusCode).toBeLessThan(300);
  }
  for (let i = 0; i < 3; i++) await ingest(t.app, t.key, { name: 'Disk full', dedupKey: 'disk', urgent: true });
  await t.store.quietHours.put(member.id, { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin' }, Date.now());
  // An integration (§13): its key, and its signing secret.
  const hook = await t.app.inject({ method: 'POST', url: '/api/projects/ops/integrations', headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload: { source: 'github', secret: 'shh' } });
  expect(hook.statusCode).toBe(201);
  // A question answered with input, its decision owed to a replyUrl (§11).
  const asking = await t.send({ name: 'Ship?', replyUrl: ok.url, actions: [{ key: 'yes', buttonText: 'Yes', reply: true, input: { label: 'Why' } }, { key: 'no', buttonText: 'No', reply: true }] });
  expect((await t.app.inject({ method: 'POST', url: `/api/events/${asking}/actions/yes/trigger`, headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload: { input: 'green' } })).statusCode).toBe(200);
  // Bound to single sign-on: the copy keeps the binding, so the person signs in through the provider as before.
  expect(await t.store.oidc.link('https://id.example.com/realms/ops', 'sub-of-mia', member.id, Date.now())).toBe(true);
  await t.store.passkeys.add({ id: 'cred-copy', user_id: member.id, public_key: new Uint8Array([1, 2, 3]), counter: 3, transports: ['internal'], name: 'Laptop', created_at: Date.now() });
  const device = await t.store.push.saveSubscription({ userId: (await t.store.users.byEmail('member@example.com'))!.id, endpoint: 'https://push.example.com/abc', p256dh: 'p', auth: 'a', deviceName: 'Pixel', oldEndpoint: null, now: Date.now() });
  expect(device).toBeTruthy();
  const { seq } = t.sqlite!.db.prepare('SELECT seq FROM events WHERE id = ?').get(thread) as { seq: number };
  await t.store.insights.countPush(seq, 'sent', Date.now()); // a push went out for the thread
  await t.store.push.markSent(seq, device!, Date.now()); // …to this device, which a notice would reach
  expect(thread).toBeTruthy();
  database = await createTestDatabase('copy');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
  await t?.cleanup();
  await stopReceivers();
});

/** Every row of a table in key order, booleans as 0/1 and numbers as numbers, as SQLite has them. */
async function postgresRows(table: string, columns: string[]): Promise<unknown[][]> {
  const { rows } = await client.query({ text: `SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${columns.join(', ')}`, rowMode: 'array' });
  return rows.map((r: unknown[]) => r.map((v) => (typeof v === 'boolean' ? Number(v) : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v)));
}

function sqliteRows(table: string, columns: string[]): unknown[][] {
  return (t.sqlite!.db.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${columns.join(', ')}`).raw().all() as unknown[][]).map((r) =>
    r.map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v)),
  );
}

describe('store:copy', () => {
  it('copies every table row for row into an empty PostgreSQL database, with a progress line', () => {
    const run = cli(['store:copy', '--to', database.url]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/copying events: \d+\/\d+/);
    expect(run.stderr).toMatch(new RegExp(`copied \\d+ rows in ${COPY_ORDER.length} tables`));
  });

  it('leaves every table equal', async () => {
    for (const table of [...COPY_ORDER, ...DERIVED_TABLES]) {
      const columns = (t.sqlite!.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      const expected = sqliteRows(table, columns);
      expect(await postgresRows(table, columns), table).toEqual(expected);
      if (!['idempotency', 'push_outbox', 'push_deliveries'].includes(table)) {
        expect(expected.length, `${table} was seeded`).toBeGreaterThan(0);
      }
    }
  });

  it('makes search work on the copy, and sequences continue after the copied numbers', async () => {
    const { rows } = await client.query('SELECT name FROM events WHERE search @@ $1::tsquery ORDER BY seq DESC', [searchQuery('u_9')]);
    expect(rows.map((r) => r.name)).toEqual(['deploy waiting', 'Deploy 9 started']);
    const max = Number((await client.query('SELECT MAX(seq) AS m FROM events')).rows[0].m);
    const next = await client.query(
      "INSERT INTO events (id, type, notify, test, context_start, created_at, search) VALUES ('new', 'text', false, false, false, 0, ''::tsvector) RETURNING seq",
    );
    expect(Number(next.rows[0].seq)).toBe(max + 1);
    await client.query("DELETE FROM events WHERE id = 'new'");
  });

  it('serves from the copy: the old key, session, signing secret, events and attempts keep working', async () => {
    const store = await openPostgresStore(database.url, { max: 2 });
    const app = await buildApp({ config: loadConfig({ DATA_DIR: t.dir, DIST_DIR: '/nonexistent', DATABASE_URL: database.url }), store });
    try {
      const me = await app.inject({ method: 'GET', url: '/api/auth/status', headers: { cookie: t.cookie } });
      expect(me.json().user?.email).toBe(OWNER_EMAIL);
      const secret = await app.inject({ method: 'GET', url: '/api/settings/webhook-secret', headers: { cookie: t.cookie } });
      expect(secret.json().secret).toBe(await t.secret());
      const feed = await app.inject({ method: 'GET', url: '/api/events?q=deploy', headers: { cookie: t.cookie } });
      expect(feed.json<FeedPage>().events.map((e) => e.name)).toContain('Deploy 9 started');
      const pressed = feed.json<FeedPage>().events.find((e) => e.name === 'deploy waiting')!;
      const detail = await app.inject({ method: 'GET', url: `/api/events/${pressed.id}`, headers: { cookie: t.cookie } });
      expect(detail.json<EventDetail>().attempts.map((a) => [a.outcome, a.pressedBy])).toEqual([['succeeded', OWNER_EMAIL]]);
      const retried = await ingest(app, t.key, { name: 'Retried' }, { 'idempotency-key': 'retry-1' });
      expect(retried.headers['idempotent-replayed']).toBe('true');
      const fresh = await ingest(app, t.key, { name: 'After the move' });
      expect(fresh.statusCode).toBe(201);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('refuses a target that is not empty, and changes nothing', async () => {
    const before = Number((await client.query('SELECT count(*) AS n FROM events')).rows[0].n);
    const run = cli(['store:copy', '--to', database.url]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/target database is not empty/);
    expect(Number((await client.query('SELECT count(*) AS n FROM events')).rows[0].n)).toBe(before);
    expect(cli(['store:copy']).stderr).toMatch(/store:copy needs --to postgres:\/\//);
  });
});

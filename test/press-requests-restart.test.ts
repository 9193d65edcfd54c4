/**
 * A press that waits survives its process (CONTRACT §10), on SQLite with real processes: a press
 * scheduled on a server that is then killed (kill -9) before its time is sent by the next process on
 * the same data directory — once, with the webhook id it was given when it was pressed. (Several
 * PostgreSQL instances: test/multi-instance.test.ts.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventDetail, TriggerWaiting } from '../contract/api.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { OWNER_EMAIL, OWNER_PASSWORD, tempDir } from './helpers.ts';

let dir: string;
let key: string;
let hook: { url: string; ids: string[]; server: Server };
const running: ServerProcess[] = [];

const start = async () => {
  const s = await spawnServer(dir, 0, { DIST_DIR: '/nonexistent', WEBHOOK_ALLOW_PRIVATE: 'true' });
  running.push(s);
  return s;
};

beforeAll(async () => {
  dir = tempDir();
  const store = openStore(dir);
  const app = sqliteAppStore(store);
  await app.users.create(OWNER_EMAIL, await hashPassword(OWNER_PASSWORD), 'owner', Date.now());
  key = (await createApiKey(app, DEFAULT_PROJECT_ID, 'restart', null, Date.now())).key;
  store.close();
  hook = { url: '', ids: [], server: createServer() };
  hook.server.on('request', (req, res) => {
    req.resume();
    hook.ids.push(String(req.headers['webhook-id']));
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => hook.server.listen(0, '127.0.0.1', r));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.kill9()));
  hook?.server.close();
  rmSync(dir, { recursive: true, force: true });
});

it('sends a press scheduled by a killed process once, from the next one, with the id made at the press', async () => {
  const first = await start();
  const origin = { origin: first.url, 'content-type': 'application/json' };
  const signIn = await fetch(`${first.url}/api/auth/sign-in`, { method: 'POST', headers: origin, body: JSON.stringify({ email: OWNER_EMAIL, password: OWNER_PASSWORD }) });
  expect(signIn.status).toBe(200);
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const policy = await fetch(`${first.url}/api/projects/default/policy`, { method: 'PUT', headers: { ...origin, cookie }, body: JSON.stringify({ high: { delaySeconds: 3 } }) });
  expect(policy.status).toBe(200);
  const sent = await fetch(`${first.url}/api/v1/log`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ name: 'wipe the cache', actions: [{ key: 'wipe', buttonText: 'Wipe cache', url: hook.url, type: 'danger' }] }),
  });
  const { id } = (await sent.json()) as { id: string };
  const pressed = await fetch(`${first.url}/api/events/${id}/actions/wipe/trigger`, { method: 'POST', headers: { ...origin, cookie }, body: '{}' });
  expect(pressed.status).toBe(202);
  const waiting = (await pressed.json()) as TriggerWaiting;
  expect(waiting.status).toBe('scheduled');
  await first.kill9();
  expect(hook.ids).toEqual([]);

  const second = await start();
  const deadline = Date.now() + 15_000;
  while (hook.ids.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  // Well past its time, with the scheduler looking again and again: still once.
  await new Promise((r) => setTimeout(r, 3_000));
  expect(hook.ids).toHaveLength(1);
  const detail = (await (await fetch(`${second.url}/api/events/${id}`, { headers: { cookie } })).json()) as EventDetail;
  const action = detail.event.actions[0]!;
  expect(action.state).toBe('succeeded');
  expect(action.request).toMatchObject({ id: waiting.request.id, status: 'sent' });
  expect(action.lastAttempt?.id).toBe(hook.ids[0]);
}, 60_000);

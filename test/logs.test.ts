/**
 * The log of a full run (CONTRACT §9, issue "run it for years"): one JSON object a line, a request id
 * on every line logged for a request (and in the answer's X-Request-Id), and not one of the secrets
 * the run used — passwords, the session cookie, the setup and invite tokens, the API key, the webhook
 * signing secret and signature, the metrics token, a push device's keys and endpoint path.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver, stopReceivers } from './actions-helpers.ts';
import { type PushEndpoint, startPushEndpoint } from './fixtures/pushEndpoint.ts';
import { type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

const PASSWORD = 'owner-password-never-logged-41';
const WRONG_PASSWORD = 'wrong-password-never-logged-77';
const METRICS_TOKEN = 'metrics-token-never-logged-5150';
let dir: string;
let server: ServerProcess;
let receiver: Receiver;
let push: PushEndpoint;
const secrets: Record<string, string> = { PASSWORD, WRONG_PASSWORD, METRICS_TOKEN };

beforeAll(async () => {
  dir = tempDir();
  receiver = await startReceiver();
  push = await startPushEndpoint();
  server = await spawnServer(dir, 0, {
    DIST_DIR: '/nonexistent',
    LOG_LEVEL: 'trace',
    LOG_FORMAT: 'json',
    METRICS_TOKEN,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    PUSH_ENDPOINT_HOSTS: push.host,
  });
});
afterAll(async () => {
  await server.kill9();
  await stopReceivers();
  await push.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the log of a full run', () => {
  it('holds none of the secrets it used, and a request id on every line of a request', async () => {
    const url = server.url;
    const json = { 'content-type': 'application/json', origin: url };
    secrets.SETUP_TOKEN = /#token=([\w-]+)/.exec(server.output())![1]!;
    const setup = await fetch(`${url}/api/auth/setup`, { method: 'POST', headers: json, body: JSON.stringify({ token: secrets.SETUP_TOKEN, email: 'boss@example.com', password: PASSWORD }) });
    expect(setup.status).toBe(201);
    const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
    secrets.COOKIE = cookie.split('=')[1]!;
    const session = { ...json, cookie };
    expect((await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'boss@example.com', password: WRONG_PASSWORD }) })).status).toBe(401);

    const created = await fetch(`${url}/api/keys`, { method: 'POST', headers: session, body: JSON.stringify({ name: 'log test' }) });
    expect(created.status).toBe(201);
    secrets.API_KEY = ((await created.json()) as { key: string }).key;
    secrets.WEBHOOK_SECRET = ((await (await fetch(`${url}/api/settings/webhook-secret`, { headers: session })).json()) as { secret: string }).secret;
    const invite = await fetch(`${url}/api/projects/default/invites`, { method: 'POST', headers: session, body: JSON.stringify({ role: 'viewer' }) });
    expect(invite.status).toBe(201);
    secrets.INVITE_TOKEN = /#token=([\w-]+)/.exec(((await invite.json()) as { url: string }).url)![1]!;

    const device = push.subscription();
    secrets.PUSH_P256DH = device.keys.p256dh;
    secrets.PUSH_AUTH = device.keys.auth;
    secrets.PUSH_PATH = new URL(device.endpoint).pathname;
    expect((await fetch(`${url}/api/push/subscriptions`, { method: 'PUT', headers: session, body: JSON.stringify({ endpoint: device.endpoint, keys: device.keys, deviceName: 'log phone' }) })).status).toBe(200);

    const sent = await fetch(`${url}/api/v1/log`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secrets.API_KEY}`, 'content-type': 'application/json', 'idempotency-key': 'log-test-1' },
      body: JSON.stringify({ name: 'Suspicious login', notify: true, actions: [{ key: 'ban', buttonText: 'Ban', url: receiver.url }] }),
    });
    expect(sent.status).toBe(201);
    const { id } = (await sent.json()) as { id: string };
    await push.waitFor(1);
    const pressed = await fetch(`${url}/api/events/${id}/actions/ban/trigger`, { method: 'POST', headers: { ...session, 'x-request-id': 'press-from-the-test' }, body: '{}' });
    expect(pressed.status).toBe(200);
    expect(pressed.headers.get('x-request-id')).toBe('press-from-the-test');
    secrets.WEBHOOK_SIGNATURE = String(receiver.requests[0]!.headers['webhook-signature']).replace(/^v1,/, '');
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
    // A request the server refuses, with secrets in it, is not logged with them either.
    await fetch(`${url}/api/keys`, { method: 'POST', headers: { ...session, 'content-type': 'text/plain' }, body: secrets.API_KEY });
    expect((await fetch(`${url}/api/auth/sign-out`, { method: 'POST', headers: session, body: '{}' })).status).toBe(204);
    await server.stop();

    const output = server.output();
    const lines = output.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) JSON.parse(line); // one JSON object a line
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, name).toBeGreaterThan(8);
      // The setup token is printed once to stdout for the operator, outside the log lines.
      const where = name === 'SETUP_TOKEN' ? lines.join('\n') : output;
      expect(where.includes(value), `${name} appears in the log`).toBe(false);
    }
    const press = lines.map((l) => JSON.parse(l) as { msg: string; reqId?: string }).find((l) => l.msg === 'action pressed');
    expect(press?.reqId).toBe('press-from-the-test');
  });
});

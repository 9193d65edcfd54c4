/**
 * The server as a real process (npm start's command): health, headers, an Operational-SDK-shaped
 * request, secrets kept out of the logs, and a graceful shutdown on SIGTERM that loses nothing.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { freePort, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

const WRONG_PASSWORD = 'never-log-this-password-7f3a';

let dir: string;
let url: string;
let server: ServerProcess;
let key: string;

async function start(port: number): Promise<void> {
  server = await spawnServer(dir, port, { LOG_LEVEL: 'debug', DIST_DIR: '/nonexistent' });
}

function exited(): Promise<number | null> {
  const child = server.child;
  return new Promise((done) => {
    if (child.exitCode !== null) done(child.exitCode);
    else child.once('exit', (code) => done(code));
  });
}

beforeAll(async () => {
  dir = tempDir();
  const store = openStore(dir);
  key = (await createApiKey(sqliteAppStore(store), DEFAULT_PROJECT_ID, 'process-test', null, Date.now())).key;
  store.close();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  await start(port);
});

afterAll(async () => {
  await server.kill9();
  rmSync(dir, { recursive: true, force: true });
});

describe('the server process', () => {
  it('answers /healthz (the process is alive) and /readyz (its store reads and writes)', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.json(), path).toEqual({ ok: true });
    }
  });

  it('sends a Content-Security-Policy that allows no inline script, and the other security headers', async () => {
    const res = await fetch(`${url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc).toBe("'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it("accepts the exact request Operational's JS SDK sends (axios defaults, Bearer key)", async () => {
    const res = await fetch(`${url}/api/v1/log`, {
      method: 'POST',
      headers: {
        accept: 'application/json, text/plain, */*',
        'content-type': 'application/json',
        authorization: `Bearer ${key}`,
        'user-agent': 'axios/1.7.2',
        'accept-encoding': 'gzip, compress, deflate, br',
      },
      body: JSON.stringify({ name: 'SDK event', avatar: '🤖', actions: [{ url: 'https://example.com/hook', buttonText: 'Press me' }], test: false }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string };
    expect(body.id).toBeTruthy();
    // CORS, as Operational allows browser pages to send events.
    const preflight = await fetch(`${url}/api/v1/log`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('finishes in-flight work on SIGTERM, ends open live streams, closes the store and exits 0', async () => {
    const signIn = await fetch(`${url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ email: 'nobody@example.com', password: WRONG_PASSWORD }),
    });
    expect(signIn.status).toBe(401);
    const accepted: string[] = [];
    const sends = Array.from({ length: 30 }, async (_, i) => {
      const res = await fetch(`${url}/api/v1/log`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ name: `before shutdown ${i}` }),
      }).catch(() => null);
      if (res?.status === 201) accepted.push(((await res.json()) as { id: string }).id);
    });
    server.child.kill('SIGTERM');
    await Promise.all(sends);
    expect(await exited()).toBe(0);
    expect(server.output()).toContain('shutting down');

    const store = openStore(dir);
    try {
      for (const id of accepted) expect(await sqliteAppStore(store).events.byId(id), `acknowledged event ${id}`).not.toBeNull();
    } finally {
      store.close();
    }
  });

  it('never writes a secret to its logs', () => {
    const logLines = server.output().split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    const token = /#token=([\w-]+)/.exec(server.output())?.[1];
    expect(token).toBeTruthy();
    for (const line of logLines) {
      expect(line).not.toContain(key);
      expect(line).not.toContain(WRONG_PASSWORD);
      expect(line).not.toContain(token!);
    }
  });
});

describe('logs for a person at a terminal (LOG_FORMAT=pretty)', () => {
  it('prints readable lines, not JSON, and the setup link on a line of its own', async () => {
    const prettyDir = tempDir();
    const pretty = await spawnServer(prettyDir, 0, { LOG_FORMAT: 'pretty', LOG_LEVEL: 'info', DIST_DIR: '/nonexistent' });
    try {
      await fetch(`${pretty.url}/healthz`);
      await new Promise((r) => setTimeout(r, 300));
      const lines = pretty.output().split('\n');
      expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
      expect(lines.some((l) => /INFO.*Server listening at/.test(l))).toBe(true);
      const link = lines.findIndex((l) => /#token=/.test(l));
      expect(lines[link]).toMatch(/^\s+http:\/\/\S+\/setup#token=[\w-]+$/);
      expect(lines[link - 1]).toMatch(/^No account exists yet/);
      expect(lines[link + 1]).toBe('');
    } finally {
      await pretty.kill9();
      rmSync(prettyDir, { recursive: true, force: true });
    }
  });
});

describe('the setup link across restarts', () => {
  it('a restart prints the same link, and the link printed first still works', async () => {
    const setupDir = tempDir();
    try {
      const port = await freePort();
      const first = await spawnServer(setupDir, port, { DIST_DIR: '/nonexistent', LOG_FORMAT: 'json' });
      const token = /#token=([\w-]+)/.exec(first.output())?.[1];
      await first.stop();
      const second = await spawnServer(setupDir, port, { DIST_DIR: '/nonexistent', LOG_FORMAT: 'json' });
      try {
        expect(/#token=([\w-]+)/.exec(second.output())?.[1]).toBe(token);
        const res = await fetch(`${second.url}/api/auth/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: second.url },
          body: JSON.stringify({ token, email: 'boss@example.com', password: 'long enough pw' }),
        });
        expect(res.status).toBe(201);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(setupDir, { recursive: true, force: true });
    }
  });
});

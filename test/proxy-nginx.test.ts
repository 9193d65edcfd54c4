/**
 * The shipped deploy/nginx.conf, in a real nginx, in front of the server as a real process with
 * compose.yaml's TRUST_PROXY=1: a client cannot choose its own address by sending X-Forwarded-For, so
 * the sign-in limits (server/auth/signInLimiter.ts) count failures against the address that connected.
 * With the old pair ($proxy_add_x_forwarded_for and TRUST_PROXY=true) a guesser got a fresh address for
 * every attempt (no 429 ever), and anyone could lock the owner out by failing "from" the owner's address.
 *
 * The shipped config runs as test/fixtures/nginx.ts describes (only its upstreams, both the test
 * server here, and its port changed); without nginx this test fails, saying so.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMITS } from '../server/auth/signInLimiter.ts';
import { type Answer, httpRequest, type Nginx, startNginx } from './fixtures/nginx.ts';
import { freePort, ROOT, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

const ORIGIN = 'http://switchboard.test';
const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'the owner knows this one';
const WRONG = 'a wrong password guess';

let dir: string;
let server: ServerProcess | undefined;
let nginx: Nginx | undefined;

/** One HTTP request to nginx, from `from` (any 127/8 address is this machine on Linux), on a fresh connection. */
function viaProxy(method: string, path: string, options: { from?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return httpRequest(nginx!.port, method, path, options);
}

/** POST /api/auth/sign-in the way the app's own page does (Origin, JSON), plus whatever X-Forwarded-For the client chooses. */
async function signIn(password: string, options: { from?: string; forwardedFor?: string; email?: string } = {}): Promise<number> {
  const headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'application/json' };
  if (options.forwardedFor !== undefined) headers['x-forwarded-for'] = options.forwardedFor;
  const body = JSON.stringify({ email: options.email ?? OWNER_EMAIL, password });
  const answer = await viaProxy('POST', '/api/auth/sign-in', { from: options.from, headers, body });
  if (![200, 401, 429].includes(answer.status)) throw new Error(`sign-in answered ${answer.status}: ${answer.body}\nnginx:\n${nginx?.output()}`);
  return answer.status;
}

beforeAll(async () => {
  dir = tempDir();
  const dataDir = join(dir, 'data');
  // SQLite in a data dir of its own, whatever the caller's environment says.
  const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
  const created = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'user:create', '--email', OWNER_EMAIL, '--password-stdin'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    input: OWNER_PASSWORD,
    encoding: 'utf8',
  });
  if (created.status !== 0) throw new Error(`user:create failed: ${created.stderr}`);

  const appPort = await freePort();
  server = await spawnServer(dataDir, appPort, { ...env, TRUST_PROXY: '1', PUBLIC_URL: ORIGIN, DIST_DIR: '/nonexistent' });

  // Both upstream servers are this one server: the config's two `server` lines stay as shipped.
  nginx = await startNginx(appPort, appPort);
});

afterAll(async () => {
  await nginx?.stop();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('behind the shipped nginx config (TRUST_PROXY=1)', () => {
  it('throttles 150 wrong sign-ins from one client even when each forges a different X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) statuses.push(await signIn(WRONG, { forwardedFor: `198.51.100.${i % 250}, 203.0.113.${i % 250}` }));
    expect(statuses, 'a 429 comes once the address that connected has failed enough').toContain(429);
    // Every failure counted against one address (127.0.0.1): no more got through than one address may have.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(SIGN_IN_LIMITS.perAddress.burst);
    expect(statuses.filter((s) => s === 200)).toEqual([]);
  });

  it("an attacker failing 'from' the owner's address is throttled as itself and cannot lock the owner out", async () => {
    // The attacker connects from 127.0.0.2 and claims to be 127.0.0.3, where the owner signs in.
    const attacker: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.perEmailAndAddress.burst + 5; i++) attacker.push(await signIn(WRONG, { from: '127.0.0.2', forwardedFor: '127.0.0.3' }));
    expect(attacker, 'the attacker is slowed down').toContain(429);
    // The owner, from 127.0.0.3, with the right password, gets in.
    expect(await signIn(OWNER_PASSWORD, { from: '127.0.0.3' }), 'the owner is not locked out').toBe(200);
    // The server counted those failures against 127.0.0.2: claiming yet another address changes nothing.
    expect(await signIn(WRONG, { from: '127.0.0.2', forwardedFor: '127.0.0.4' }), 'the attacker stays throttled as 127.0.0.2').toBe(429);
  });
});

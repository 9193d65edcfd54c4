/**
 * The shipped deploy/nginx.conf, in a real nginx, in front of the server as a real process with
 * compose.yaml's TRUST_PROXY=1: a client cannot choose its own address by sending X-Forwarded-For, so
 * the sign-in limits (server/auth/signInLimiter.ts) count failures against the address that connected.
 * With the old pair ($proxy_add_x_forwarded_for and TRUST_PROXY=true) a guesser got a fresh address for
 * every attempt (no 429 ever), and anyone could lock the owner out by failing "from" the owner's address.
 *
 * The config is changed only as a test must: the upstream servers become the test server, `listen 80`
 * a free port on 127.0.0.1, and it is wrapped in a minimal main config whose files all live in a temp dir
 * (nginx runs with its own -p prefix and -c config: nothing under /etc/nginx is read). nginx comes from
 * scripts/ensure-nginx.sh (Debian's package) or NGINX_PATH; without it this test fails, saying so.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMITS } from '../server/auth/signInLimiter.ts';
import { freePort, ROOT, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

const ORIGIN = 'http://switchboard.test';
const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'the owner knows this one';
const WRONG = 'a wrong password guess';

let dir: string;
let server: ServerProcess | undefined;
let nginx: ChildProcess | undefined;
let nginxOutput = '';
let proxyPort: number;

/** NGINX_PATH, else nginx on PATH or in the sbin folders (not always on a non-root PATH). */
function findNginx(): string {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];
  const candidates = process.env.NGINX_PATH ? [process.env.NGINX_PATH] : folders.filter((folder) => folder !== '').map((folder) => join(folder, 'nginx'));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'nginx was not found, and this test runs the shipped deploy/nginx.conf in a real nginx: run `bash scripts/ensure-nginx.sh` ' +
        '(as root with apt-get it installs Debian\'s nginx; npm test runs it) or set NGINX_PATH to an nginx binary',
    );
  }
  return found;
}

/** deploy/nginx.conf with its upstreams pointing at `appPort` and listening on 127.0.0.1:`listenPort`. */
function shippedConfig(appPort: number, listenPort: number): string {
  const shipped = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8');
  const upstreams = shipped.match(/\bserver app[12]:8080\b/g) ?? [];
  const listens = shipped.match(/\blisten 80;/g) ?? [];
  // The test relies on these lines: if the shipped file changes shape, say so rather than test something else.
  if (upstreams.length !== 2 || listens.length !== 1) {
    throw new Error('deploy/nginx.conf no longer has `server app1:8080`, `server app2:8080` and one `listen 80;`: update this test');
  }
  return shipped.replace(/\bserver app[12]:8080\b/g, `server 127.0.0.1:${appPort}`).replace(/\blisten 80;/, `listen 127.0.0.1:${listenPort};`);
}

/** The minimal main config around the shipped server and upstream blocks; every file nginx writes is in `home`. */
function mainConfig(binary: string, home: string, appPort: number, listenPort: number): string {
  const built = spawnSync(binary, ['-V'], { encoding: 'utf8' });
  const configure = `${built.stdout}${built.stderr}`;
  // Temp paths for the modules this nginx has (setting one for a module left out is an error).
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .filter((module) => !configure.includes(`--without-http_${module}_module`))
    .map((module) => `  ${module}_temp_path ${join(home, `${module}_temp`)};`);
  return [
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(home, 'nginx.pid')};`,
    'error_log stderr warn;',
    // As root, workers would switch to `nobody`, who cannot enter the 0700 temp dir.
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    ...temp,
    shippedConfig(appPort, listenPort),
    '}',
    '',
  ].join('\n');
}

interface Answer {
  status: number;
  body: string;
}

/** One HTTP request to nginx, from `from` (any 127/8 address is this machine on Linux), on a fresh connection. */
function viaProxy(method: string, path: string, options: { from?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port: proxyPort, method, path, localAddress: options.from ?? '127.0.0.1', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, body }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(options.body);
  });
}

/** POST /api/auth/sign-in the way the app's own page does (Origin, JSON), plus whatever X-Forwarded-For the client chooses. */
async function signIn(password: string, options: { from?: string; forwardedFor?: string; email?: string } = {}): Promise<number> {
  const headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'application/json' };
  if (options.forwardedFor !== undefined) headers['x-forwarded-for'] = options.forwardedFor;
  const body = JSON.stringify({ email: options.email ?? OWNER_EMAIL, password });
  const answer = await viaProxy('POST', '/api/auth/sign-in', { from: options.from, headers, body });
  if (![200, 401, 429].includes(answer.status)) throw new Error(`sign-in answered ${answer.status}: ${answer.body}\nnginx:\n${nginxOutput}`);
  return answer.status;
}

beforeAll(async () => {
  const binary = findNginx();
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

  proxyPort = await freePort();
  const config = join(dir, 'nginx.conf');
  writeFileSync(config, mainConfig(binary, dir, appPort, proxyPort));
  nginx = spawn(binary, ['-p', dir, '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer) => {
    nginxOutput += chunk.toString();
  };
  nginx.on('error', (err) => {
    nginxOutput += `could not run ${binary}: ${err.message}\n`;
  });
  nginx.stdout!.on('data', collect);
  nginx.stderr!.on('data', collect);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (nginx.exitCode !== null || nginx.signalCode !== null) throw new Error(`nginx exited while starting:\n${nginxOutput}`);
    const answer = await viaProxy('GET', '/healthz').catch(() => null);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer /healthz within 10 s (last: ${answer?.status ?? 'no connection'}):\n${nginxOutput}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
    const exited = new Promise((r) => nginx!.once('exit', r));
    nginx.kill('SIGTERM'); // fast shutdown: the master stops its workers, then exits
    await exited;
  }
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

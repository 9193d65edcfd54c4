/**
 * One SQLite data directory, one server, checked with real processes: a second server on the same
 * DATA_DIR waits for the first to exit (an overlapping restart) and then takes over; if the first
 * stays, it refuses with a message that points at DATABASE_URL; a first server killed with -9 leaves
 * no stale lock behind. The CLI still works beside a running server.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, ROOT, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

let dir: string;
const running: ServerProcess[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const s of running.splice(0)) await s.kill9();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ENV = { DIST_DIR: '/nonexistent', LOG_LEVEL: 'warn' };

/** A second server started raw (it may never say "running at"): its output and its exit. */
function second(port: number, waitMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...ENV, DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', DATA_DIR_LOCK_WAIT_MS: String(waitMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exit };
}

const healthy = async (url: string) => (await fetch(`${url}/healthz`)).status;

describe('one server per SQLite data directory', () => {
  it('a second server refuses after its wait, pointing at DATABASE_URL, and the first keeps serving', async () => {
    dir = tempDir();
    const first = await spawnServer(dir, 0, ENV);
    running.push(first);
    const b = second(await freePort(), 1500);
    expect(await b.exit).toBe(2);
    expect(b.output()).toMatch(/another Switchboard server is using DATA_DIR/);
    expect(b.output()).toMatch(/DATABASE_URL/);
    expect(b.output()).not.toMatch(/running at/);
    expect(await healthy(first.url)).toBe(200);
  });

  it('an overlapping restart: the new server waits while the old one finishes, then takes over', async () => {
    dir = tempDir();
    const first = await spawnServer(dir, 0, ENV);
    running.push(first);
    const port = await freePort();
    const b = second(port, 20_000);
    await expect.poll(() => b.output(), { timeout: 10_000 }).toMatch(/waiting up to 20 s for it to exit/);
    expect(b.output()).not.toMatch(/running at/);
    await first.stop();
    await expect.poll(() => b.output(), { timeout: 15_000 }).toMatch(/running at/);
    expect(await healthy(`http://127.0.0.1:${port}`)).toBe(200);
  });

  it('a server killed with -9 leaves no stale lock: the next one starts at once', async () => {
    dir = tempDir();
    const first = await spawnServer(dir, 0, ENV);
    await first.kill9();
    const next = await spawnServer(dir, 0, { ...ENV, DATA_DIR_LOCK_WAIT_MS: '0' });
    running.push(next);
    expect(await healthy(next.url)).toBe(200);
    expect(next.output()).not.toMatch(/waiting/);
  });

  it('the CLI works beside a running server', async () => {
    dir = tempDir();
    const server = await spawnServer(dir, 0, ENV);
    running.push(server);
    const made = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'apikey:create', '--name', 'beside'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect(made.status).toBe(0);
    expect(made.stdout.trim()).toMatch(/^sb_/);
  });
});

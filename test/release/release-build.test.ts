/**
 * What the Dockerfile ships, built and run here (no Docker engine needed): scripts/build-release.sh on
 * a clean copy of the repository (install from the lock file, build, prune dev dependencies), then the
 * result started as an unprivileged user from its own folder — /healthz, /readyz, the app's page, an
 * event in and out — and stopped with SIGTERM.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../fixtures/serverProcess.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'switchboard-release-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The repository's files as a fresh clone has them (tracked, plus new ones not ignored): no node_modules, no dist. */
function cleanCopy(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(ROOT, file), join(to, file));
  }
}

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

describe('the release build (the Dockerfile’s steps)', () => {
  it('builds from a clean copy, ships no tests or sources of the PWA, and runs as an unprivileged user', async () => {
    const src = join(work, 'src');
    const app = join(work, 'app');
    cleanCopy(src);
    expect(existsSync(join(src, 'node_modules'))).toBe(false);
    execFileSync('bash', ['scripts/build-release.sh', src, app], { cwd: src, stdio: 'inherit', timeout: 8 * 60_000 });

    const shipped = readdirSync(app).sort();
    expect(shipped).toEqual(['contract', 'dist', 'node_modules', 'package-lock.json', 'package.json', 'server', 'src']);
    // Of the PWA's sources, only the catalogs of what the server says itself (no code).
    expect(readdirSync(join(app, 'src'))).toEqual(['locales']);
    expect(readdirSync(join(app, 'src', 'locales')).sort()).toEqual(['errors', 'push', 'server']);
    // …which it can say: a push's button and an error's sentence in German.
    const said = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "const { pushSay } = await import('./server/i18n/push.ts'); const { pageWord } = await import('./server/i18n/pageWords.ts'); console.log(pushSay('de')('push.acknowledge'), '|', pageWord('de', 'errors.not_found'))"],
      { cwd: app, encoding: 'utf8' },
    );
    expect(said).toMatch(/^Bestätigen \| Das wurde nicht gefunden/);
    expect(existsSync(join(app, 'dist', 'index.html'))).toBe(true);
    // Development dependencies are gone (a test runner in the image would be weight and attack surface).
    for (const dev of ['vitest', '@playwright/test', 'typescript', '@biomejs/biome', 'lighthouse']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);

    // The data folder belongs to the unprivileged user; the code stays read-only to it.
    const data = join(work, 'data');
    mkdirSync(data);
    if (asRoot) {
      chownSync(data, NOBODY, NOBODY);
      chmodSync(work, 0o755);
    }
    const port = await freePort();
    const command = asRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath] : [process.execPath];
    const child = spawn(command[0]!, [...command.slice(1), '--import', 'tsx', 'server/main.ts'], {
      cwd: app,
      env: { PATH: process.env.PATH, HOME: data, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: data, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      for (let i = 0; i < 400 && !/running at http/.test(out); i++) {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(out).toMatch(/running at http/);
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      if (asRoot) {
        const owner = execFileSync('stat', ['-c', '%u', join(data, 'switchboard.db')], { encoding: 'utf8' }).trim();
        expect(owner).toBe(String(NOBODY));
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

/**
 * `cli backup --to DIR` (CONTRACT §9) against a running server that keeps ingesting: the copy is
 * consistent (integrity checked), holds every event acknowledged before the backup began, and a
 * server started on it (`DATA_DIR=DIR`) works with the original's API keys.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { ROOT, type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

const run = promisify(execFile);
const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill9();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const send = (url: string, key: string, name: string) =>
  fetch(`${url}/api/v1/log`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });

describe('cli backup', () => {
  it('copies a running installation consistently while it ingests; a server started on the copy works with the same keys', async () => {
    const dataDir = tempDir();
    const backupDir = join(tempDir(), 'backup');
    dirs.push(dataDir, join(backupDir, '..'));
    const seed = openStore(dataDir);
    const key = (await createApiKey(sqliteAppStore(seed), DEFAULT_PROJECT_ID, 'backup-test', null, Date.now())).key;
    seed.close();
    const server = await spawnServer(dataDir, 0, { DIST_DIR: '/nonexistent' });
    servers.push(server);

    const before: string[] = [];
    for (let i = 0; i < 200; i++) before.push(((await (await send(server.url, key, `before ${i}`)).json()) as { id: string }).id);
    // Ingest keeps going while the backup runs.
    let sending = true;
    const during = (async () => {
      let n = 0;
      while (sending) expect((await send(server.url, key, `during ${n++}`)).status).toBe(201);
      return n;
    })();
    const result = await cli(['backup', '--to', backupDir], { DATA_DIR: dataDir });
    sending = false;
    expect(await during).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/backed up \d+ events .* integrity ok/);
    expect(result.status).toBe(0);
    // It holds every webhook secret and the push private key: nobody else may read it (checked before
    // openStore, which would tighten it).
    expect((statSync(join(backupDir, 'switchboard.db')).mode & 0o777).toString(8)).toBe('600');

    const copy = openStore(backupDir);
    try {
      for (const id of before) expect(await sqliteAppStore(copy).events.byId(id), id).not.toBeNull();
      expect(copy.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      copy.close();
    }

    const restored = await spawnServer(backupDir, 0, { DIST_DIR: '/nonexistent' });
    servers.push(restored);
    expect((await fetch(`${restored.url}/readyz`)).status).toBe(200);
    expect((await send(restored.url, key, 'after the restore')).status).toBe(201);
  });

  it('refuses a folder that is not empty, a missing --to, and a PostgreSQL installation, each in one line', async () => {
    const dataDir = tempDir();
    const full = tempDir();
    dirs.push(dataDir, full);
    openStore(dataDir).close();
    writeFileSync(join(full, 'something'), 'x');
    const notEmpty = await cli(['backup', '--to', full], { DATA_DIR: dataDir });
    expect(notEmpty.status).toBe(2);
    expect(notEmpty.stderr.trim()).toMatch(/is not empty: back up into a new or empty folder$/);
    const missing = await cli(['backup'], { DATA_DIR: dataDir });
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe('backup needs --to DIR (a new or empty folder)');
    mkdirSync(join(full, 'empty'));
    const pg = await cli(['backup', '--to', join(full, 'empty')], { DATA_DIR: dataDir, DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' });
    expect(pg.status).toBe(2);
    expect(pg.stderr).toContain('pg_dump');
  });
});

/** The data folder holds the webhook secret, the VAPID private key and sessions: the owner's alone. */
import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('data directory permissions', () => {
  it('creates DATA_DIR 0700 and the database, its WAL and shared-memory files 0600', async () => {
    const parent = tempDir();
    dirs.push(parent);
    const dataDir = join(parent, 'data');
    const store = openStore(dataDir);
    await sqliteAppStore(store).settings.set('probe', 'x'); // a write, so the WAL exists
    try {
      expect(store.fixedPermissions).toEqual([]);
      expect(mode(dataDir)).toBe('700');
      for (const f of ['switchboard.db', 'switchboard.db-wal', 'switchboard.db-shm']) expect(mode(join(dataDir, f)), f).toBe('600');
    } finally {
      store.close();
    }
  });

  it('tightens a folder and files an older release left readable, and says which', () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    openStore(dataDir).close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'switchboard.db'), 0o644);
    const store = openStore(dataDir);
    try {
      expect(store.fixedPermissions).toEqual([`${dataDir} (was 755)`, `${join(dataDir, 'switchboard.db')} (was 644)`]);
      expect(mode(dataDir)).toBe('700');
      expect(mode(join(dataDir, 'switchboard.db'))).toBe('600');
    } finally {
      store.close();
    }
  });

  it('the server logs the fix at start', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'switchboard.db'), '', { mode: 0o644 });
    const server = await spawnServer(dataDir, 0, { DIST_DIR: '/nonexistent', VAPID_SUBJECT: 'mailto:test@example.com' });
    try {
      expect(server.output()).toMatch(/permissions tightened/);
      expect(mode(dataDir)).toBe('700');
    } finally {
      await server.stop();
    }
  });
});

/**
 * One SQLite data directory, one server. A second server on the same DATA_DIR would see none of the
 * first one's live events, drain the same push outbox, and settle its running presses as interrupted.
 * So the server holds an exclusive lock on `DATA_DIR/server.lock` for as long as it runs: an SQLite
 * file in exclusive locking mode, so the lock is the operating system's (fcntl) and is released when
 * the process ends in any way — no stale lock file after a crash or `kill -9`, no PID guessing.
 * A second server waits a bounded time (an overlapping restart: the old one is still finishing its
 * requests), then refuses. The CLI does not take the lock: its short writes go through SQLite's WAL
 * alongside the running server.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const LOCK_FILE = 'server.lock';

export class DataDirLocked extends Error {}

export interface DataDirLock {
  release(): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function tryLock(file: string): Database.Database | null {
  const db = new Database(file, { timeout: 0 });
  chmodSync(file, 0o600);
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the lock; in exclusive mode it is kept until the connection closes.
    db.exec(`BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder; INSERT INTO holder VALUES (${process.pid}); COMMIT;`);
    return db;
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw err;
  }
}

/** Takes the data directory's lock, waiting up to `waitMs` for a server that holds it to exit. */
export async function lockDataDir(dataDir: string, waitMs: number, onWait?: () => void): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  let waited = false;
  for (;;) {
    const db = tryLock(file);
    if (db) return { release: () => db.close() };
    if (Date.now() >= deadline) {
      throw new DataDirLocked(
        `another Switchboard server is using DATA_DIR ${dataDir} (waited ${Math.round(waitMs / 1000)} s for it to exit). ` +
          'One SQLite store serves one process; to run several instances, use PostgreSQL: set DATABASE_URL.',
      );
    }
    if (!waited) onWait?.();
    waited = true;
    await sleep(100);
  }
}

/**
 * `cli backup --to DIR`: a consistent copy of a SQLite installation, taken with SQLite's online backup
 * API while the server keeps running (it reads the live database page by page; writes that land
 * meanwhile restart the affected steps), then opened and checked (`PRAGMA integrity_check`). Restoring
 * is starting a server with `DATA_DIR=DIR`: the one file holds events, accounts, keys and secrets.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const DB_FILE = 'switchboard.db';

export class BackupRefused extends Error {}

export interface BackupResult {
  file: string;
  bytes: number;
  events: number;
}

export async function backupSqlite(dataDir: string, toDir: string, onProgress: (done: number, total: number) => void = () => {}): Promise<BackupResult> {
  const source = join(dataDir, DB_FILE);
  if (!existsSync(source)) throw new BackupRefused(`no Switchboard database in DATA_DIR ${dataDir}`);
  if (existsSync(toDir)) {
    if (!statSync(toDir).isDirectory()) throw new BackupRefused(`--to ${toDir} is not a directory`);
    if (readdirSync(toDir).length > 0) throw new BackupRefused(`--to ${toDir} is not empty: back up into a new or empty folder`);
  }
  mkdirSync(toDir, { recursive: true, mode: 0o700 });
  const target = join(toDir, DB_FILE);
  // The copy holds every webhook secret and the push private key: 0600 from its first byte (SQLite
  // gives its -wal and -shm files the same mode), whatever the umask.
  closeSync(openSync(target, 'wx', 0o600));
  chmodSync(target, 0o600);
  // Read-only: the backup never writes to the live database, and takes no lock a writer would wait on.
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target, {
      progress({ totalPages, remainingPages }) {
        onProgress(totalPages - remainingPages, totalPages);
        return 256; // pages per step: the server's writers wait at most one short step
      },
    });
  } finally {
    db.close();
  }
  const copy = new Database(target, { fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy in ${target} failed its integrity check: ${String(check)}`);
    // The copy keeps the live database's WAL mode; checkpointed, it is one self-contained file.
    copy.pragma('wal_checkpoint(TRUNCATE)');
    const events = copy.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;
    chmodSync(target, 0o600);
    return { file: target, bytes: statSync(target).size, events };
  } finally {
    copy.close();
  }
}

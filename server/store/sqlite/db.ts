import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SchemaTooNew } from '../records.ts';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * The data folder holds the webhook secret, the VAPID private key and session hashes: it is the
 * owner's alone (0700, files 0600). Creates them so, and tightens what an older release left open;
 * returns the paths it had to fix (with their old mode), for the caller to log.
 */
export function securePermissions(file: string): string[] {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // SQLite gives the -wal and -shm files the mode of the database file, so creating it 0600 covers them.
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const fixed: string[] = [];
  for (const [path, mode] of [[dir, 0o700], [file, 0o600], [`${file}-wal`, 0o600], [`${file}-shm`, 0o600]] as const) {
    if (!existsSync(path)) continue;
    const current = statSync(path).mode & 0o777;
    if ((current & ~mode) === 0) continue;
    chmodSync(path, mode);
    fixed.push(`${path} (was ${current.toString(8)})`);
  }
  return fixed;
}

/**
 * Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date (`upTo`: only
 * that far — how tests make a store as an earlier release left it, with that release's own migrations).
 */
export function openDatabase(file: string, upTo = Number.POSITIVE_INFINITY): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives a crash of the process (kill -9); only an OS crash or
  // power loss can lose the last transactions. See the README's durability note.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A larger page cache keeps the hot index pages in memory as the event table grows.
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  migrate(db, upTo);
  return db;
}


function migrate(db: Db, upTo: number): void {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  const known = Math.max(0, ...files.map((f) => Number.parseInt(f, 10)));
  // The version is read inside the write transaction: two processes opening a new store at once
  // (a server and a CLI command) cannot both apply the same migration.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > known) {
      throw new SchemaTooNew(
        `this store was written by a newer Switchboard (schema ${current}; this version knows up to ${known}): run the newer version, or restore a backup made before the upgrade`,
      );
    }
    for (const file of files) {
      const version = Number.parseInt(file, 10);
      if (version <= current || version > upTo) continue;
      db.exec(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
      db.pragma(`user_version = ${version}`);
    }
  }).immediate();
}

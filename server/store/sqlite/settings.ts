/** Installation-wide settings (small key/value pairs, such as the pending setup token's hash). */
import type { Db } from './db.ts';

export function settingsRepository(db: Db) {
  const get = db.prepare('SELECT value FROM settings WHERE key = ?');
  const set = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');
  const insertNew = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING');
  return {
    get: (key: string) => (get.get(key) as { value: string } | undefined)?.value ?? null,
    set: (key: string, value: string) => void set.run(key, value),
    remove: (key: string) => remove.run(key).changes > 0,
    /** Stores `value` unless the key has one; returns the stored value (whoever wrote it first). */
    setIfAbsent(key: string, value: string): string {
      insertNew.run(key, value);
      return (get.get(key) as { value: string }).value;
    },
  };
}

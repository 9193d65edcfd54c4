/**
 * SQLite's insights counts of new events are added by its event writer, a write at a time, one
 * upsert per bucket (migration 022 dropped the per-row trigger): after any mix of writes they must be
 * what migration 008 defines — the events grouped by project, mode and hour or day — and deletions,
 * still counted by a trigger, must take them back.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { openStore, type SqliteStore } from '../server/store/sqlite/index.ts';
import type { NewEvent } from '../server/store/eventRows.ts';
import { normalized, tempDir } from './helpers.ts';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 11, 7, 22, 30);

/** The counts as migration 008 defines them, from the events themselves. */
function expected(sqlite: SqliteStore) {
  const all = (q: string) => sqlite.db.prepare(q).all();
  return {
    hours: all(`SELECT project_id, test, created_at / 3600000 AS hour, COALESCE(category, '') AS category, COUNT(*) AS count FROM events GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
    names: all(`SELECT project_id, test, created_at / 86400000 AS day, COALESCE(name, '') AS name, COUNT(*) AS count FROM events GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
    categories: all(`SELECT project_id, test, category, COUNT(*) AS count FROM events WHERE category IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
  };
}

function kept(sqlite: SqliteStore) {
  const all = (q: string) => sqlite.db.prepare(q).all();
  return {
    hours: all('SELECT project_id, test, hour, category, count FROM event_counts WHERE count > 0 ORDER BY 1, 2, 3, 4'),
    names: all('SELECT project_id, test, day, name, count FROM event_name_counts WHERE count > 0 ORDER BY 1, 2, 3, 4'),
    categories: all('SELECT project_id, test, category, count FROM category_counts WHERE count > 0 ORDER BY 1, 2, 3'),
  };
}

describe('SQLite: the insights counts of new events', () => {
  let dir: string;
  let sqlite: SqliteStore;
  afterEach(() => {
    sqlite?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are the events grouped by bucket after batches that mix projects, modes, hours, days, names and categories, and after deletions', async () => {
    dir = tempDir();
    sqlite = openStore(dir);
    const store = sqliteAppStore(sqlite);
    const other = (await store.projects.create('other', 'Other', T))!.id;
    expect(sqlite.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'").all()).toEqual([{ name: 'events_uncounted' }]);

    const item = (i: number): NewEvent => ({
      event: normalized({
        name: i % 5 === 0 ? undefined : `name ${i % 3}`,
        content: 'c',
        category: i % 4 === 0 ? undefined : `cat ${i % 2}`,
        test: i % 7 === 0,
      }),
      projectId: i % 3 === 0 ? other : DEFAULT_PROJECT_ID,
      apiKeyId: null,
      // Across an hour and a day boundary (22:30 UTC + up to ~3 h).
      createdAt: T + (i % 11) * 0.3 * HOUR,
    });
    const seqs: number[] = [];
    for (let start = 0; start < 120; start += 40) {
      const written = await store.transaction((tx) => tx.events.insertMany(Array.from({ length: 40 }, (_, i) => item(start + i))));
      seqs.push(...written.map((w) => w.seq));
    }
    for (let i = 120; i < 130; i++) seqs.push((await store.transaction((tx) => tx.events.insert(item(i)))).seq);
    expect(kept(sqlite)).toEqual(expected(sqlite));
    expect((kept(sqlite).hours as { count: number }[]).reduce((n, r) => n + r.count, 0)).toBe(130);

    for (const seq of seqs.filter((_, i) => i % 6 === 0)) await store.events.remove(seq);
    expect(kept(sqlite)).toEqual(expected(sqlite));
  });
});

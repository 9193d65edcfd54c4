/**
 * `cli store:copy --to postgres://…`: a whole SQLite installation into an empty PostgreSQL database.
 * Table by table in key order, in batches (memory stays bounded whatever the store's size), from one
 * read snapshot of SQLite (a server may keep running), inside one PostgreSQL transaction (a copy that
 * fails leaves the target empty, so it can simply be run again). Columns are the ones both schemas
 * have (test/postgres-schema.test.ts keeps them equal); 0/1 become booleans where PostgreSQL has them;
 * each event gets its search vector; the insights counts are refilled by the target's triggers; sequences continue after the copied numbers.
 */
import type pg from 'pg';
import type { NormalizedEvent } from '../../../contract/ingest.ts';
import type { Db } from '../sqlite/db.ts';
import { searchableText } from '../eventRows.ts';
import { migratePostgres } from './migrate.ts';
import { searchVector } from './search.ts';

/** Parents before children (foreign keys); events by seq, so a thread's opener comes before its events. */
export const COPY_ORDER = [
  'users', 'sessions', 'projects', 'project_members', 'api_keys', 'settings', 'events', 'actions', 'action_attempts',
  'press_requests', 'press_approvals', 'reply_deliveries', 'event_activity',
  'idempotency', 'live_log', 'push_subscriptions', 'push_outbox', 'push_deliveries', 'invites', 'audit_log', 'notification_prefs', 'push_counts', 'password_resets', 'push_sent',
  'project_policies', 'passkeys', 'quiet_hours', 'integrations', 'oidc_identities',
] as const;
/** Kept with every event written (PostgreSQL: by triggers on `events`): the copy's inserts fill them; the test checks they match. */
export const DERIVED_TABLES = ['event_counts', 'event_name_counts', 'category_counts'] as const;

/** Serial columns whose sequences must continue after the copied rows. */
const SERIALS: Record<string, string> = {
  events: 'seq', live_log: 'seq', push_outbox: 'id', push_deliveries: 'id', projects: 'id', audit_log: 'id',
};
/** Rows a freshly migrated database already has: the project `default` (id 1), which the copy overwrites. */
const SEEDED: Record<string, string> = { projects: 'id <> 1' };
const BATCH = 500;

export class TargetNotEmpty extends Error {}

export interface CopyProgress {
  table: string;
  copied: number;
  total: number;
}

async function columnTypes(client: pg.ClientBase, table: string): Promise<Map<string, string>> {
  const { rows } = await client.query<{ column_name: string; data_type: string }>(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
    [table],
  );
  return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

/** Copies every table; returns the rows copied per table. */
export async function copySqliteToPostgres(sqlite: Db, client: pg.ClientBase, onProgress: (p: CopyProgress) => void = () => undefined): Promise<Record<string, number>> {
  await migratePostgres(client);
  for (const table of COPY_ORDER) {
    const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE ${SEEDED[table] ?? 'true'}) AS taken`);
    if (rows[0].taken) throw new TargetNotEmpty(`the target database is not empty (table ${table} has rows): copy into a new, empty database`);
  }
  const copied: Record<string, number> = {};
  // One snapshot of SQLite for the whole copy: a running server's writes after this point are not copied.
  sqlite.exec('BEGIN');
  await client.query('BEGIN');
  try {
    for (const table of COPY_ORDER) {
      const types = await columnTypes(client, table);
      const sqliteColumns = (sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      const columns = sqliteColumns.filter((c) => types.has(c));
      const withSearch = table === 'events';
      const targetColumns = withSearch ? [...columns, 'search'] : columns;
      const total = (sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      const page = sqlite.prepare(`SELECT rowid AS _rowid, ${columns.join(', ')} FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH}`);
      let after = -1;
      let done = 0;
      for (;;) {
        const rows = page.all(after) as Record<string, unknown>[];
        if (rows.length === 0) break;
        const values: unknown[] = [];
        const tuples = rows.map((row) => {
          const tuple = columns.map((c) => {
            const v = row[c];
            values.push(types.get(c) === 'boolean' && v !== null ? v !== 0 : v);
            return `$${values.length}`;
          });
          if (withSearch) {
            const content = row.content === null ? null : (JSON.parse(String(row.content)) as NormalizedEvent['content']);
            values.push(searchVector([String(row.name ?? ''), searchableText(content), String(row.user_id ?? '')]));
            tuple.push(`$${values.length}::tsvector`);
          }
          return `(${tuple.join(', ')})`;
        });
        const onSeeded = SEEDED[table] ? ` ON CONFLICT (id) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}` : '';
        await client.query(`INSERT INTO ${table} (${targetColumns.join(', ')}) VALUES ${tuples.join(', ')}${onSeeded}`, values);
        done += rows.length;
        after = rows[rows.length - 1]!._rowid as number;
        onProgress({ table, copied: done, total });
      }
      copied[table] = done;
      const serial = SERIALS[table];
      if (serial) {
        await client.query(`SELECT setval(pg_get_serial_sequence('${table}', '${serial}'), COALESCE((SELECT MAX(${serial}) FROM ${table}), 0) + 1, false)`);
      }
    }
    await client.query('COMMIT');
    return copied;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    sqlite.exec('COMMIT');
  }
}

/**
 * Search on PostgreSQL gives the same result sets as FTS5 on SQLite: one corpus, stored through the
 * SQLite store and in a real PostgreSQL (the throwaway cluster of the test run), queried with prefix
 * words, several words, non-Latin text, identifiers and hostile input; the answers, newest first,
 * must be identical.
 */
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { searchableText } from '../server/store/eventRows.ts';
import { openStore, type Store } from '../server/store/sqlite/index.ts';
import { migratePostgres } from '../server/store/postgres/migrate.ts';
import { searchQuery, searchTokens, searchVector } from '../server/store/postgres/search.ts';
import { createTestDatabase, type TestDatabase } from './fixtures/postgresDb.ts';
import { insertEvent, tempDir } from './helpers.ts';

const CORPUS: Record<string, unknown>[] = [
  { name: 'New signup', content: 'jane@example.com signed up from https://example.com/pricing?plan=pro' },
  { name: 'Payment failed', type: 'json', content: { code: 'card_declined', amount: 4200, customer: 'zebracorp' }, userId: 'u_77' },
  { name: 'Refund requested', userId: 'u_77', content: 'order 4471 — “refund” please' },
  { name: 'Refund requested', userId: 'u_78', content: 'order 4472' },
  { name: 'Invoice sent', type: 'rows', content: [{ label: 'to', content: 'Quokka Ltd' }, { label: 'amount', content: '42.00 EUR' }] },
  { name: 'Crème brûlée ordered', content: 'Ré-essai réussi, façade naïve, Ærø, Øresund, straße' },
  { name: '東京 deploy', content: '本番環境にデプロイしました 🚀 done' },
  { name: 'Ошибка оплаты', content: 'Карта отклонена, клиент Иван' },
  { name: 'Υπενθύμιση', content: 'Καλημέρα κόσμε' },
  { name: 'pre-release v1.2.3 tagged', content: "it's O'Brien's build_42 (x86_64)" },
  { name: 'Login from a new device', userId: 'cus_9Q2', content: 'Lisbon, PT' },
  { name: 'Lisbon office opened', content: 'ribbon cut' },
  { name: 'Deploy finished ✅', content: 'deploy 7 finished in 3m 12s' },
  { name: 'emoji only 🎉🎉', content: '🎉' },
  { name: 'Weird: AND OR NOT NEAR', content: 'a "quoted" phrase; semi:colon* star & pipe | bang !' },
  { name: 'Tabs\tand\nnewlines', content: 'line one\nline two\ttabbed' },
  { name: 'Numbers 1e5 0x1F 3.14159', content: '-42 +7 1,000,000' },
  { name: 'Deploy started', content: 'deploy 8 started by ci_bot' },
];

const QUERIES = [
  'refund', 'REFUND', 'ref', 'refund 4471', 'u_77', 'u_7', 'u', '77', 'cus_9q2', 'jane', 'example', 'example.com',
  'jane@example.com', 'https://example.com/pricing', 'pricing', 'plan=pro', 'zebra', 'card_declined', 'declined',
  'quokka', '42.00', 'eur', 'creme', 'crème', 'brulee', 'reessai', 're', 'façade', 'facade', 'naive', 'aero', 'ærø',
  'oresund', 'øresund', 'strasse', 'straße', '東京', '東', '本番', 'デプロイ', '🚀', 'ошибка', 'ОШИБ', 'карта',
  'υπενθυμιση', 'υπεν', 'καλημερα', 'pre-release', 'pre', 'release', 'v1.2', '1.2.3', "o'brien", 'obrien', "it's",
  'build_42', 'x86_64', 'lisbon', 'lis', 'lisbon office', 'office lisbon', 'deploy', 'deploy 7', 'deploy finished',
  'finished deploy', 'started', '✅', '🎉', 'AND', 'OR', 'NOT', 'NEAR', 'and or', '"quoted"', '"quoted phrase"',
  'semi:colon', 'colon*', '*', '&', '|', '!', '+++', '()', "'", "''", '\\', '"', '""', 'star & pipe', 'bang !',
  'υπενθύμιση', 'καλημέρα', '& refund', 'refund &', '+++ lisbon', 'line', 'tabbed', 'newlines', '1e5', '0x1f', '3.14159', '14159', '-42', '42', '1,000,000', '000', 'nothing-here',
  'ci_bot', 'bot', 'v', 'a', 'a b', 'x'.repeat(200), 'refund\u0000x',
];

let dir: string;
let store: Store;
let database: TestDatabase;
let db: pg.Client;

beforeAll(async () => {
  dir = tempDir();
  store = openStore(dir);
  database = await createTestDatabase('search');
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  await migratePostgres(db);

  const start = Date.now() - CORPUS.length * 1000;
  for (const [i, body] of CORPUS.entries()) {
    const event = await insertEvent(sqliteAppStore(store), body, start + i * 1000);
    const { seq } = (await sqliteAppStore(store).events.byId(event.id))!;
    await db.query(
      `INSERT INTO events (seq, id, name, type, content, notify, test, context_start, user_id, created_at, search)
       VALUES ($1, $2, $3, $4, $5, false, false, false, $6, $7, $8::tsvector)`,
      [seq, event.id, event.name, event.type, JSON.stringify(event.content), event.userId, Date.parse(event.createdAt),
        searchVector([event.name ?? '', searchableText(event.content), event.userId ?? ''])],
    );
  }
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sqliteSearch(search: string): Promise<string[]> {
  return (await sqliteAppStore(store).events.feed({ projectId: DEFAULT_PROJECT_ID, test: false, category: null, search, cursor: null, limit: 100 })).events.map((e) => e.name ?? '');
}

async function postgresSearch(search: string): Promise<string[]> {
  const q = searchQuery(search);
  if (q === null) return (await db.query('SELECT name FROM events WHERE NOT test AND parent_seq IS NULL ORDER BY created_at DESC, seq DESC LIMIT 100')).rows.map((r) => r.name);
  if (q === false) return [];
  const { rows } = await db.query('SELECT name FROM events WHERE NOT test AND search @@ $1::tsquery ORDER BY seq DESC LIMIT 100', [q]);
  return rows.map((r) => r.name);
}

describe('search on PostgreSQL answers as FTS5 does', () => {
  it(`gives identical result sets, newest first, for ${QUERIES.length} searches over one corpus`, async () => {
    const differences: string[] = [];
    let nonEmpty = 0;
    for (const query of QUERIES) {
      const expected = await sqliteSearch(query);
      const actual = await postgresSearch(query);
      if (expected.length > 0) nonEmpty++;
      if (JSON.stringify(expected) !== JSON.stringify(actual)) differences.push(`${JSON.stringify(query)}: FTS5 ${JSON.stringify(expected)} vs PostgreSQL ${JSON.stringify(actual)}`);
    }
    expect(differences).toEqual([]);
    // The comparison means something only if many searches find something, and not everything.
    expect(nonEmpty).toBeGreaterThan(QUERIES.length / 2);
  });

  it('cuts words as FTS5 does: case folded, Latin diacritics gone, punctuation separates', () => {
    expect(searchTokens('Crème Brûlée, jane@example.com u_77')).toEqual(['creme', 'brulee', 'jane', 'example', 'com', 'u', '77']);
    expect(searchTokens('東京 🚀 Ошибка')).toEqual(['東京', 'ошибка']);
    // Only Latin letters lose their marks.
    expect(searchTokens('Καλημέρα Ré')).toEqual(['καλημέρα', 're']);
  });

  it('builds literals that PostgreSQL takes as they are, whatever the input', async () => {
    for (const hostile of ["'; DROP TABLE events; --", "a'b\\c", ':*', '!', '<->', '&|']) {
      const vector = searchVector([hostile, hostile, hostile]);
      await expect(db.query('SELECT $1::tsvector', [vector])).resolves.toBeDefined();
      const q = searchQuery(hostile);
      if (typeof q === 'string') await expect(db.query('SELECT $1::tsquery', [q])).resolves.toBeDefined();
    }
    expect((await db.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(CORPUS.length);
  });
});

/**
 * Shared setup: a real store, an app built on it, a session and an API key. The store is SQLite in a
 * fresh temp directory, or — when TEST_STORE=postgres (vitest.postgres.config.ts) — a fresh database
 * in the run's throwaway PostgreSQL cluster, so the same integration tests run against both stores.
 */
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '../server/auth/session.ts';
import { sha256 } from '../server/auth/tokens.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { EventDto, FeedPage } from '../contract/api.ts';
import { type IngestProblem, type NormalizedEvent, parseIngestBody } from '../contract/ingest.ts';
import { buildApp } from '../server/app.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { loadConfig } from '../server/config.ts';
import type { AppStore } from '../server/store/types.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { openStore, type SqliteStore } from '../server/store/sqlite/index.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { createTestDatabase } from './fixtures/postgresDb.ts';

/** inject()'s default Host is localhost:80, so this is the app's own origin. */
export const OWN_ORIGIN = 'http://localhost:80';
export const OWNER_EMAIL = 'owner@example.com';
export const OWNER_PASSWORD = 'correct horse battery';

/** Which store the integration tests run on (TEST_STORE=postgres: PostgreSQL). */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestApp {
  app: FastifyInstance;
  /** The app's store (async repositories), whichever store the run uses. */
  store: AppStore;
  /** The SQLite store itself, for checks of SQLite's own files and rows; null on PostgreSQL. */
  sqlite: SqliteStore | null;
  /** The PostgreSQL database's URL; null on SQLite. */
  databaseUrl: string | null;
  dir: string;
  cleanup(): Promise<void>;
  /** Creates the owner (once) and signs in; returns the Cookie header value. */
  signIn(): Promise<string>;
  /** A fresh API key's secret. */
  apiKey(name?: string): Promise<string>;
}

export interface MakeAppOptions {
  now?: () => number;
  env?: Record<string, string>;
}

export function tempDir(): string {
  return mkdtempSync(`${tmpdir()}/sb-`);
}

/** A fresh store of the run's kind; `close` closes it and removes its files or database. */
export async function makeStore(): Promise<{ store: AppStore; sqlite: SqliteStore | null; databaseUrl: string | null; dir: string; close(): Promise<void> }> {
  const dir = tempDir();
  if (TEST_STORE === 'postgres') {
    const database = await createTestDatabase('app', { migrated: true });
    const store = await openPostgresStore(database.url, { max: 4 });
    return {
      store,
      sqlite: null,
      databaseUrl: database.url,
      dir,
      async close() {
        await store.close();
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const sqlite = openStore(dir);
  return {
    store: sqliteAppStore(sqlite),
    sqlite,
    databaseUrl: null,
    dir,
    async close() {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function makeApp(options: MakeAppOptions = {}): Promise<TestApp> {
  const made = await makeStore();
  const { store, dir } = made;
  const config = loadConfig({ DATA_DIR: dir, DIST_DIR: '/nonexistent', ...options.env });
  const app = await buildApp({ config, store, ...(options.now ? { now: options.now } : {}) });
  let cookie: string | null = null;

  return {
    app,
    store,
    sqlite: made.sqlite,
    databaseUrl: made.databaseUrl,
    dir,
    async cleanup() {
      await app.close();
      await made.close();
    },
    async signIn() {
      if (cookie) return cookie;
      if (!(await store.users.byEmail(OWNER_EMAIL))) {
        await store.users.create(OWNER_EMAIL, await hashPassword(OWNER_PASSWORD), 'owner', Date.now());
      }
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        headers: { origin: OWN_ORIGIN },
        payload: { email: OWNER_EMAIL, password: OWNER_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
      cookie = sessionCookie(res);
      return cookie;
    },
    async apiKey(name = 'test') {
      return (await createApiKey(store, DEFAULT_PROJECT_ID, name, null, Date.now())).key;
    },
  };
}

/** How many rows a table holds, on either store (a test's look at the store beneath the app). */
export async function countRows(t: Pick<TestApp, 'sqlite' | 'databaseUrl'>, table: string): Promise<number> {
  if (t.sqlite) return (t.sqlite.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const client = new pg.Client({ connectionString: t.databaseUrl! });
  await client.connect();
  try {
    return Number((await client.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
}

/** `sb_session=<token>` from a response's Set-Cookie header. */
/** A session for someone, made straight in the store (no password hashing): its cookie. */
export async function sessionFor(store: AppStore, userId: string): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await store.sessions.create(sha256(token), userId, Date.now(), Date.now() + 24 * 3600_000);
  return `${SESSION_COOKIE}=${token}`;
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (!header) throw new Error('no set-cookie header');
  return header.split(';')[0]!;
}

export function ingest(app: FastifyInstance, key: string, payload: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/log',
    headers: { authorization: `Bearer ${key}`, ...headers },
    payload: payload as Record<string, unknown>,
  });
}

export async function getFeed(app: FastifyInstance, cookie: string, query = ''): Promise<FeedPage> {
  const res = await app.inject({ method: 'GET', url: `/api/events${query}`, headers: { cookie } });
  if (res.statusCode !== 200) throw new Error(`feed failed: ${res.statusCode} ${res.body}`);
  return res.json<FeedPage>();
}

/** Follows nextCursor until the end; returns every event in the order served. */
export async function readAllPages(
  app: FastifyInstance,
  cookie: string,
  limit: number,
  extra = '',
  startCursor: string | null = null,
): Promise<EventDto[]> {
  const out: EventDto[] = [];
  let cursor: string | null = startCursor;
  for (let page = 0; page < 1000; page++) {
    const query: string = `?limit=${limit}${extra}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = await getFeed(app, cookie, query);
    if (body.events.length > limit) throw new Error('page larger than limit');
    out.push(...body.events);
    cursor = body.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('pagination did not end');
}

/** Normalises an ingest body with the contract's parser, failing loudly if it is refused. */
export function normalized(body: Record<string, unknown>): NormalizedEvent {
  return accept(body);
}

/** Stores an event directly (bypassing HTTP) at a chosen time. */
export async function insertEvent(store: AppStore, body: Record<string, unknown>, createdAt: number) {
  const event = normalized(body);
  return (await store.transaction((tx) => tx.events.insert({ event, projectId: DEFAULT_PROJECT_ID, apiKeyId: null, createdAt }))).live.event;
}

/** The contract's parser must accept `body`; returns the normalised event. */
export function accept(body: unknown): NormalizedEvent {
  const result = parseIngestBody(body);
  if (!result.ok) throw new Error(`expected acceptance, got ${result.problem.field}: ${result.problem.message}`);
  return result.event;
}

/** The contract's parser must refuse `body`; returns the problem (field and message). */
export function refuse(body: unknown): IngestProblem {
  const result = parseIngestBody(body);
  if (result.ok) throw new Error(`expected refusal of ${JSON.stringify(body).slice(0, 200)}`);
  return result.problem;
}

/** Starts `app` on a free port of 127.0.0.1 (for clients that need a real socket: live streams) and gives its base URL. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

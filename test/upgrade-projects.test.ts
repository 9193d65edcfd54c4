/**
 * An installation made by the release before projects (schema 5) upgrades with nothing lost: every
 * event, key, session, secret and account lands in the project `default`, and everyone keeps what
 * they could do (the owner is admin of every project; the others are members of `default`).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventDetail, FeedPage, MemberDto, ProjectDto } from '../contract/api.ts';
import { buildApp } from '../server/app.ts';
import { SESSION_COOKIE } from '../server/auth/session.ts';
import { sha256 } from '../server/auth/tokens.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/store/sqlite/db.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import pg from 'pg';
import { migratePostgres } from '../server/store/postgres/migrate.ts';
import { openPostgresStore } from '../server/store/postgres/index.ts';
import { createTestDatabase } from './fixtures/postgresDb.ts';
import { ingest, OWN_ORIGIN, tempDir } from './helpers.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upgrading a store made before projects', () => {
  it('moves everything into default and keeps every session, key, secret, event, thread and attempt', async () => {
    const T = Date.now() - 3600_000;
    const ownerToken = randomBytes(24).toString('base64url');
    const memberToken = randomBytes(24).toString('base64url');
    const apiKey = `sb_${randomBytes(24).toString('base64url')}`;
    // The previous release's schema and rows, written with its own migrations.
    const old = openDatabase(join(dir, 'switchboard.db'), 5);
    old.exec(`
      INSERT INTO users (id, email, password_hash, role, created_at) VALUES ('u-owner', 'owner@example.com', 'x', 'owner', ${T}), ('u-mia', 'mia@example.com', 'x', 'member', ${T});
      INSERT INTO sessions VALUES ('${sha256(ownerToken)}', 'u-owner', ${T}, ${T + 30 * 86400_000}, ${Date.now()}), ('${sha256(memberToken)}', 'u-mia', ${T}, ${T + 30 * 86400_000}, ${Date.now()});
      INSERT INTO api_keys (id, name, prefix, key_hash, created_by, created_at) VALUES ('k1', 'billing', 'sb_xxx', '${sha256(apiKey)}', 'u-owner', ${T});
      INSERT INTO settings VALUES ('webhook_secret', 'whsec_b2xkIHNlY3JldCBvZiAwLjQgYmVmb3JlIHByb2plY3Rz');
      INSERT INTO events (seq, id, api_key_id, name, type, content, category, notify, test, context_id, context_start, user_id, parent_seq, thread_count, created_at)
        VALUES (1, 'ev-open', 'k1', 'Deploy 12 started', 'text', '"build 12"', 'deploys', 0, 0, 'd12', 1, NULL, NULL, 1, ${T}),
               (2, 'ev-child', 'k1', 'Deploy 12 finished', 'text', NULL, 'deploys', 0, 0, 'd12', 0, NULL, 1, 0, ${T + 1000}),
               (3, 'ev-action', 'k1', 'Refund asked', 'text', NULL, 'billing', 1, 0, NULL, 0, 'cus_1', NULL, 0, ${T + 2000});
      INSERT INTO events_fts (rowid, name, body, user_id) VALUES (1, 'Deploy 12 started', 'build 12', ''), (2, 'Deploy 12 finished', '', ''), (3, 'Refund asked', '', 'cus_1');
      INSERT INTO actions (event_seq, key, position, button_text, url, external, expires_at, meta, repeat, emphasis, state, attempts)
        VALUES (3, 'refund', 0, 'Refund', 'https://example.com/refund', 0, ${Date.now() + 86400_000}, NULL, 0, 'danger', 'succeeded', 1);
      INSERT INTO action_attempts (id, event_seq, action_key, number, pressed_by, pressed_by_email, started_at, finished_at, duration_ms, outcome, status_code)
        VALUES ('msg_1', 3, 'refund', 1, 'u-mia', 'mia@example.com', ${T + 3000}, ${T + 3100}, 100, 'succeeded', 200);
      INSERT INTO live_log (kind, event_seq, test, created_at) VALUES ('event', 1, 0, ${T}), ('event', 2, 0, ${T + 1000}), ('event', 3, 0, ${T + 2000});
    `);
    expect(old.pragma('user_version', { simple: true })).toBe(5);
    old.close();

    const store = openStore(dir);
    const app = await buildApp({ config: loadConfig({ DATA_DIR: dir, DIST_DIR: '/nonexistent' }), store: sqliteAppStore(store) });
    const as = (token: string) => ({ cookie: `${SESSION_COOKIE}=${token}`, origin: OWN_ORIGIN });
    try {
      const projects = (await app.inject({ method: 'GET', url: '/api/projects', headers: as(memberToken) })).json<{ projects: ProjectDto[] }>();
      expect(projects.projects.map((p) => [p.slug, p.name, p.role])).toEqual([['default', 'Default', 'member']]);

      const feed = (await app.inject({ method: 'GET', url: '/api/projects/default/events', headers: as(memberToken) })).json<FeedPage>();
      expect(feed.events.map((e) => [e.id, e.threadCount])).toEqual([['ev-action', 0], ['ev-open', 1]]);
      expect((await app.inject({ method: 'GET', url: '/api/events?q=build', headers: as(memberToken) })).json<FeedPage>().events.map((e) => e.id)).toEqual(['ev-open']);
      const detail = (await app.inject({ method: 'GET', url: '/api/events/ev-open', headers: as(ownerToken) })).json<EventDetail>();
      expect(detail.thread.map((e) => e.id)).toEqual(['ev-child']);
      const attempts = (await app.inject({ method: 'GET', url: '/api/events/ev-action', headers: as(ownerToken) })).json<EventDetail>().attempts;
      expect(attempts.map((a) => [a.pressedBy, a.outcome])).toEqual([['mia@example.com', 'succeeded']]);

      // The old key writes into default; the old secret signs default's webhooks.
      const sent = await ingest(app, apiKey, { name: 'After the upgrade' });
      expect(sent.statusCode).toBe(201);
      expect(await sqliteAppStore(store).events.projectIdOf(sent.json<{ id: string }>().id)).toBe(1);
      const secret = await app.inject({ method: 'GET', url: '/api/projects/default/webhook-secret', headers: as(ownerToken) });
      expect(secret.json().secret).toBe('whsec_b2xkIHNlY3JldCBvZiAwLjQgYmVmb3JlIHByb2plY3Rz');
      expect((await app.inject({ method: 'GET', url: '/api/keys', headers: as(ownerToken) })).json().keys.map((k: { name: string }) => k.name)).toEqual(['billing']);

      // The member presses as before; keys are now for admins.
      expect((await app.inject({ method: 'GET', url: '/api/keys', headers: as(memberToken) })).statusCode).toBe(403);
      const members = (await app.inject({ method: 'GET', url: '/api/projects/default/members', headers: as(ownerToken) })).json<{ members: MemberDto[] }>();
      expect(members.members.map((m) => [m.email, m.role, m.owner]).sort()).toEqual([['mia@example.com', 'member', false], ['owner@example.com', 'admin', true]]);
      const counts = store.db.prepare('SELECT (SELECT COUNT(*) FROM events) AS events, (SELECT COUNT(*) FROM events WHERE project_id = 1) AS inDefault').get();
      expect(counts).toEqual({ events: 4, inDefault: 4 });
    } finally {
      await app.close();
      store.close();
    }
  });
});

describe('upgrading a PostgreSQL database made before projects', () => {
  it('moves its events, keys, secret and accounts into default, as on SQLite', async () => {
    const database = await createTestDatabase('upgrade');
    try {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      expect(await migratePostgres(client, 5)).toEqual([1, 2, 3, 4, 5]);
      await client.query(`
        INSERT INTO users (id, email, password_hash, role, created_at) VALUES ('u-owner', 'owner@example.com', 'x', 'owner', 1), ('u-mia', 'mia@example.com', 'x', 'member', 2);
        INSERT INTO api_keys (id, name, prefix, key_hash, created_by, created_at) VALUES ('k1', 'billing', 'sb_xxx', 'hash-k1', 'u-owner', 3);
        INSERT INTO settings VALUES ('webhook_secret', 'whsec_old');
        INSERT INTO events (id, api_key_id, name, type, notify, test, context_start, created_at, search) VALUES ('ev-1', 'k1', 'Old event', 'text', false, false, false, 4, ''::tsvector);
      `);
      await client.end();
      const store = await openPostgresStore(database.url, { max: 2 });
      try {
        expect(await store.projects.bySlug('default')).toMatchObject({ id: 1, name: 'Default' });
        expect(await store.projects.webhookSecret(1)).toBe('whsec_old');
        expect(await store.settings.get('webhook_secret')).toBeNull();
        expect(await store.apiKeys.activeByHash('hash-k1')).toEqual({ id: 'k1', projectId: 1, scope: 'ingest' });
        expect(await store.events.projectIdOf('ev-1')).toBe(1);
        expect(await store.members.role(1, 'u-mia')).toBe('member');
        expect(await store.members.role(1, 'u-owner')).toBeNull(); // an owner is admin by being owner
        // The next project gets the next number (the sequence moved past the seeded default).
        expect((await store.projects.create('ops', 'Ops', 5))?.id).toBe(2);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
});

/** The headless CLI (CONTRACT.md §4), run as a child process against a temp DATA_DIR. */
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { verifyPassword } from '../server/auth/passwords.ts';
import { sha256 } from '../server/auth/tokens.ts';
import { loadConfig } from '../server/config.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import type { AppStore } from '../server/store/types.ts';
import { tempDir } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], input = '') {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dir },
    input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Opens the store the CLI wrote to, runs `fn`, closes it. */
async function withStore<T>(fn: (store: AppStore) => Promise<T>): Promise<T> {
  const store = sqliteAppStore(openStore(dir));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('apikey:create', () => {
  it('prints exactly one line, the new key, which the server then accepts for ingest', async () => {
    const result = cli(['apikey:create', '--name', 'ci']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^sb_[A-Za-z0-9_-]+\n$/);
    const key = result.stdout.trimEnd();
    const store = sqliteAppStore(openStore(dir));
    const app = await buildApp({ config: loadConfig({ DATA_DIR: dir, DIST_DIR: '/nonexistent' }), store });
    try {
      expect(await store.apiKeys.activeByHash(sha256(key))).not.toBeNull();
      expect((await store.apiKeys.list(DEFAULT_PROJECT_ID)).map((k) => k.name)).toEqual(['ci']);
      const res = await app.inject({ method: 'POST', url: '/api/v1/log', headers: { authorization: `Bearer ${key}` }, payload: { name: 'from ci' } });
      expect(res.statusCode).toBe(201);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('--scope read makes a key that may read the events too; a plain one may not; a wrong scope is refused', async () => {
    const reader = cli(['apikey:create', '--name', 'script', '--scope', 'read']).stdout.trimEnd();
    const plain = cli(['apikey:create', '--name', 'app']).stdout.trimEnd();
    const wrong = cli(['apikey:create', '--name', 'x', '--scope', 'admin']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.trim()).toBe('--scope must be ingest or read');
    const store = sqliteAppStore(openStore(dir));
    const app = await buildApp({ config: loadConfig({ DATA_DIR: dir, DIST_DIR: '/nonexistent' }), store });
    try {
      const read = (key: string) => app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: `Bearer ${key}` } });
      expect((await read(reader)).statusCode).toBe(200);
      expect((await read(plain)).statusCode).toBe(403);
      expect((await store.apiKeys.list(DEFAULT_PROJECT_ID)).map((k) => [k.name, k.scope]).sort()).toEqual([['app', 'ingest'], ['script', 'read']]);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('refuses a missing name with a non-zero exit and nothing on stdout', () => {
    const result = cli(['apikey:create']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--name');
  });
});

describe('user:create', () => {
  it('creates a user with the password read from stdin, stored hashed', async () => {
    const result = cli(['user:create', '--email', 'a@b.c', '--password-stdin'], 'a long password\n');
    expect(result.status).toBe(0);
    const user = await withStore((store) => store.users.byEmail('a@b.c'));
    expect(user).toBeDefined();
    expect(user!.role).toBe('owner');
    expect(user!.password_hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('a long password', user!.password_hash)).toBe(true);
  });

  it('refuses a second user with the same email', async () => {
    expect(cli(['user:create', '--email', 'a@b.c', '--password-stdin'], 'a long password').status).toBe(0);
    const again = cli(['user:create', '--email', 'a@b.c', '--password-stdin'], 'another password');
    expect(again.status).not.toBe(0);
    expect(await withStore((store) => store.users.count())).toBe(1);
  });

  it('refuses a password shorter than 10 characters', async () => {
    const result = cli(['user:create', '--email', 'a@b.c', '--password-stdin'], 'short');
    expect(result.status).not.toBe(0);
    expect(await withStore((store) => store.users.count())).toBe(0);
  });
});

describe('projects from the command line', () => {
  it('project:create and invite:create print one line each; user:create and apikey:create put people and keys in a project', async () => {
    expect(cli(['user:create', '--email', 'o@b.c', '--password-stdin'], 'a long password').stdout).toBe('created owner o@b.c\n');
    expect(cli(['project:create', '--name', 'Billing & Payments'])).toMatchObject({ status: 0, stdout: 'billing-payments\n' });
    expect(cli(['project:create', '--name', 'Ops', '--slug', 'ops'])).toMatchObject({ status: 0, stdout: 'ops\n' });
    const taken = cli(['project:create', '--name', 'Again', '--slug', 'ops']);
    expect([taken.status, taken.stdout]).toEqual([2, '']);
    expect(taken.stderr).toContain('slug ops');
    expect(cli(['project:create', '--name', 'X', '--slug', 'Not ok']).stderr).toContain('--slug');

    expect(cli(['user:create', '--email', 'm@b.c', '--password-stdin', '--project', 'ops', '--role', 'viewer'], 'a long password').stdout).toBe(
      'created m@b.c: viewer of ops\n',
    );
    expect(cli(['user:create', '--email', 'd@b.c', '--password-stdin'], 'a long password').stdout).toBe('created d@b.c: member of default\n');
    expect(cli(['user:create', '--email', 'n@b.c', '--password-stdin', '--project', 'nope', '--role', 'viewer'], 'a long password').stderr).toContain(
      'no project with slug nope',
    );
    expect(cli(['user:create', '--email', 'p@b.c', '--password-stdin', '--owner'], 'a long password').stdout).toBe('created owner p@b.c\n');
    const key = cli(['apikey:create', '--name', 'ops-key', '--project', 'ops']).stdout.trimEnd();
    const link = cli(['invite:create', '--project', 'ops', '--role', 'member']);
    expect(link.stdout).toMatch(/^http:\/\/localhost:8080\/invite#token=[\w-]+\n$/);
    expect(cli(['invite:create', '--project', 'ops', '--role', 'boss']).stderr).toContain('--role');
    expect(cli(['invite:create', '--role', 'member']).stderr).toContain('--project');

    const store = sqliteAppStore(openStore(dir));
    const app = await buildApp({ config: loadConfig({ DATA_DIR: dir, DIST_DIR: '/nonexistent' }), store });
    try {
      const ops = (await store.projects.bySlug('ops'))!;
      expect((await store.apiKeys.activeByHash(sha256(key)))?.projectId).toBe(ops.id);
      expect(await store.members.role(ops.id, (await store.users.byEmail('m@b.c'))!.id)).toBe('viewer');
      expect(await store.members.role(DEFAULT_PROJECT_ID, (await store.users.byEmail('d@b.c'))!.id)).toBe('member');
      expect((await store.users.byEmail('p@b.c'))!.role).toBe('owner');
      // The printed link is a working invite into ops, as a member.
      const token = new URL(link.stdout.trim()).hash.replace('#token=', '');
      const info = await app.inject({ method: 'POST', url: '/api/invites/lookup', headers: { origin: 'http://localhost:80' }, payload: { token } });
      expect(info.json()).toMatchObject({ project: { slug: 'ops', name: 'Ops' }, role: 'member' });
      // Each change made from the command line is in the project's audit log, by "cli".
      expect((await store.audit.page({ projectId: ops.id, before: null, limit: 10, actorId: null, kinds: null, outcome: null })).map((r) => [r.kind, r.actor_email])).toEqual([
        ['invite.created', 'cli'],
        ['key.created', 'cli'],
        ['member.added', 'cli'],
      ]);
    } finally {
      await app.close();
      await store.close();
    }
    // Fourteen CLI processes one after another: on a busy machine that takes more than the default 20 s.
  }, 60_000);
});

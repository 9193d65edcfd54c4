/** CONTRACT.md §1, the action table: one accepted and one refused case per rule, with the failing field. */
import { describe, expect, it } from 'vitest';
import { accept, refuse } from './helpers.ts';

const ok = { url: 'https://hooks.example.com/run', buttonText: 'Run' };

/** An event whose action at index 1 is `second` (index 0 is always valid, so paths show the index). */
const withSecond = (second: Record<string, unknown>) => ({
  name: 'x',
  actions: [{ ...ok, key: 'first' }, second],
});

describe('actions array', () => {
  it('accepts 10 actions and refuses 11', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...ok, key: `k${i}` }));
    expect(accept({ name: 'x', actions: many(10) }).actions).toHaveLength(10);
    expect(refuse({ name: 'x', actions: many(11) }).field).toBe('actions');
  });
  it('refuses actions that are not an array', () => {
    expect(refuse({ name: 'x', actions: ok }).field).toBe('actions');
  });
  it('refuses an action that is not an object', () => {
    expect(refuse(withSecond('https://example.com' as unknown as Record<string, unknown>)).field).toBe('actions[1]');
  });
});

describe('action url', () => {
  it('accepts absolute http and https URLs', () => {
    expect(accept(withSecond({ ...ok, url: 'http://example.com/a' })).actions[1]!.url).toBe('http://example.com/a');
    expect(accept(withSecond({ ...ok, url: 'https://example.com/a?b=c' })).actions[1]!.url).toBe('https://example.com/a?b=c');
  });
  it('refuses javascript:, data: and relative URLs', () => {
    expect(refuse(withSecond({ ...ok, url: 'javascript:alert(1)' })).field).toBe('actions[1].url');
    expect(refuse(withSecond({ ...ok, url: 'data:text/html,<b>x</b>' })).field).toBe('actions[1].url');
    expect(refuse(withSecond({ ...ok, url: '/relative/path' })).field).toBe('actions[1].url');
    expect(refuse(withSecond({ ...ok, url: 'ftp://example.com/file' })).field).toBe('actions[1].url');
  });
  it('accepts 2048 characters and refuses 2049', () => {
    const base = 'https://example.com/';
    const exact = base + 'a'.repeat(2048 - base.length);
    expect(accept(withSecond({ ...ok, url: exact })).actions[1]!.url).toHaveLength(2048);
    expect(refuse(withSecond({ ...ok, url: `${exact}a` })).field).toBe('actions[1].url');
  });
  it('refuses a user name or password in the URL (user:pass@), for webhook and external actions', () => {
    for (const url of ['https://admin:hunter2@example.com/ops/ban', 'https://token@example.com/hook']) {
      const problem = refuse(withSecond({ ...ok, url }));
      expect(problem.field).toBe('actions[1].url');
      expect(problem.message).toMatch(/user name or password/);
      expect(refuse(withSecond({ ...ok, url, external: true })).field).toBe('actions[1].url');
    }
  });
  it('is required', () => {
    expect(refuse(withSecond({ buttonText: 'Run' })).field).toBe('actions[1].url');
  });
});

describe('action buttonText', () => {
  it('accepts 1 and 48 characters', () => {
    expect(accept(withSecond({ ...ok, buttonText: 'A' })).actions[1]!.buttonText).toBe('A');
    expect(accept(withSecond({ ...ok, buttonText: 'b'.repeat(48) })).actions[1]!.buttonText).toHaveLength(48);
  });
  it('refuses empty, blank, 49 characters and missing', () => {
    expect(refuse(withSecond({ ...ok, buttonText: '' })).field).toBe('actions[1].buttonText');
    expect(refuse(withSecond({ ...ok, buttonText: '   ' })).field).toBe('actions[1].buttonText');
    expect(refuse(withSecond({ ...ok, buttonText: 'b'.repeat(49) })).field).toBe('actions[1].buttonText');
    expect(refuse(withSecond({ url: ok.url })).field).toBe('actions[1].buttonText');
  });
});

describe('action key', () => {
  it('accepts 64 characters and refuses 65', () => {
    expect(accept(withSecond({ ...ok, key: 'k'.repeat(64) })).actions[1]!.key).toHaveLength(64);
    expect(refuse(withSecond({ ...ok, key: 'k'.repeat(65) })).field).toBe('actions[1].key');
  });
  it('refuses a key used twice within the event, naming the second', () => {
    const problem = refuse(withSecond({ ...ok, key: 'first' }));
    expect(problem.field).toBe('actions[1].key');
  });
  it('derives a missing key from buttonText', () => {
    const event = accept({ name: 'x', actions: [{ url: ok.url, buttonText: 'Press me' }] });
    expect(event.actions[0]!.key).toBe('press_me');
  });
  it('makes derived keys unique when two buttons share their text', () => {
    const event = accept({ name: 'x', actions: [{ url: ok.url, buttonText: 'Press me' }, { url: ok.url, buttonText: 'Press me' }] });
    const keys = event.actions.map((a) => a.key);
    expect(keys[0]).toBe('press_me');
    expect(keys[1]).not.toBe('press_me');
    expect(keys[1]).toMatch(/^press_me/);
  });
  it('never derives a key that an explicit key of a later action already uses', () => {
    const event = accept({ name: 'x', actions: [{ url: ok.url, buttonText: 'Press me' }, { ...ok, key: 'press_me' }] });
    expect(event.actions[1]!.key).toBe('press_me');
    expect(event.actions[0]!.key).not.toBe('press_me');
  });
  it('derives a usable key from text with no letters or digits', () => {
    const event = accept({ name: 'x', actions: [{ url: ok.url, buttonText: '🔥🔥' }] });
    expect(event.actions[0]!.key).toMatch(/^[a-z0-9_]+$/);
  });
});

describe('action external', () => {
  it('accepts external: true without a key', () => {
    const event = accept({ name: 'x', actions: [{ url: ok.url, buttonText: 'Open', external: true }] });
    expect(event.actions[0]!.external).toBe(true);
  });
  it('defaults to false and refuses a non-boolean', () => {
    expect(accept(withSecond(ok)).actions[1]!.external).toBe(false);
    expect(refuse(withSecond({ ...ok, external: 'yes' })).field).toBe('actions[1].external');
  });
});

describe('action expireIn', () => {
  it('defaults to 10080 minutes (7 days)', () => {
    expect(accept(withSecond(ok)).actions[1]!.expireIn).toBe(10_080);
  });
  it('accepts 1 and 43200', () => {
    expect(accept(withSecond({ ...ok, expireIn: 1 })).actions[1]!.expireIn).toBe(1);
    expect(accept(withSecond({ ...ok, expireIn: 43_200 })).actions[1]!.expireIn).toBe(43_200);
  });
  it('refuses 0, 43201, 1.5 and a string', () => {
    for (const expireIn of [0, 43_201, 1.5, '60', -5]) {
      expect(refuse(withSecond({ ...ok, expireIn })).field).toBe('actions[1].expireIn');
    }
  });
});

describe('action meta', () => {
  it('accepts a string, an object and an array and passes them untouched', () => {
    expect(accept(withSecond({ ...ok, meta: 'order=1' })).actions[1]!.meta).toBe('order=1');
    const meta = { order: { id: 7, tags: ['a', null] }, 'odd key': true };
    expect(accept(withSecond({ ...ok, meta })).actions[1]!.meta).toEqual(meta);
    expect(accept(withSecond({ ...ok, meta: [1, { b: 2 }] })).actions[1]!.meta).toEqual([1, { b: 2 }]);
  });
  it('accepts 4 KiB serialized and refuses more', () => {
    expect(accept(withSecond({ ...ok, meta: 'm'.repeat(4096 - 2) })).actions[1]!.meta).toHaveLength(4094);
    expect(refuse(withSecond({ ...ok, meta: 'm'.repeat(4096 - 1) })).field).toBe('actions[1].meta');
    expect(refuse(withSecond({ ...ok, meta: { big: 'm'.repeat(4096) } })).field).toBe('actions[1].meta');
  });
  it('refuses a number as meta', () => {
    expect(refuse(withSecond({ ...ok, meta: 12 })).field).toBe('actions[1].meta');
  });
});

describe('action repeat', () => {
  it('accepts repeat: true, defaults to false and refuses a non-boolean', () => {
    expect(accept(withSecond({ ...ok, repeat: true })).actions[1]!.repeat).toBe(true);
    expect(accept(withSecond(ok)).actions[1]!.repeat).toBe(false);
    expect(refuse(withSecond({ ...ok, repeat: 'always' })).field).toBe('actions[1].repeat');
  });
});

describe('action type', () => {
  it('accepts danger and important, and none', () => {
    expect(accept(withSecond({ ...ok, type: 'danger' })).actions[1]!.type).toBe('danger');
    expect(accept(withSecond({ ...ok, type: 'important' })).actions[1]!.type).toBe('important');
    expect(accept(withSecond(ok)).actions[1]!.type).toBeNull();
  });
  it('refuses any other emphasis', () => {
    expect(refuse(withSecond({ ...ok, type: 'primary' })).field).toBe('actions[1].type');
  });
});

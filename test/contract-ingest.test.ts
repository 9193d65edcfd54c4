/** CONTRACT.md §1, the event table: one accepted and one refused case per rule. */
import { describe, expect, it } from 'vitest';
import { parseIngestBody, parsePlainTextBody } from '../contract/ingest.ts';
import { accept, refuse } from './helpers.ts';

describe('name', () => {
  it('accepts a string name', () => {
    expect(accept({ name: 'deploy finished' }).name).toBe('deploy finished');
  });
  it('accepts a number and turns it into text', () => {
    expect(accept({ name: 42 }).name).toBe('42');
  });
  it('accepts 200 characters and refuses 201', () => {
    expect(accept({ name: 'n'.repeat(200) }).name).toHaveLength(200);
    expect(refuse({ name: 'n'.repeat(201) }).field).toBe('name');
  });
  it('is required when there is no content', () => {
    expect(refuse({}).field).toBe('name');
    expect(refuse({ name: '   ' }).field).toBe('name');
  });
  it('may be left out when content is given', () => {
    const event = accept({ content: 'only a body' });
    expect(event.name).toBeNull();
    expect(event.content).toBe('only a body');
  });
  it('refuses a name that is neither string nor number', () => {
    expect(refuse({ name: { a: 1 } }).field).toBe('name');
  });
});

describe('avatar', () => {
  it('accepts an emoji', () => {
    expect(accept({ name: 'x', avatar: '🚀' }).avatar).toBe('🚀');
  });
  it('accepts up to 8 characters of text and refuses 9', () => {
    expect(accept({ name: 'x', avatar: 'ABCDEFGH' }).avatar).toBe('ABCDEFGH');
    expect(refuse({ name: 'x', avatar: 'ABCDEFGHI' }).field).toBe('avatar');
  });
  it('counts an emoji made of several code points as one character', () => {
    expect(accept({ name: 'x', avatar: '👩‍👩‍👧‍👦👩‍👩‍👧‍👦' }).avatar).toBe('👩‍👩‍👧‍👦👩‍👩‍👧‍👦');
  });
  it('accepts http and https image URLs', () => {
    expect(accept({ name: 'x', avatar: 'https://example.com/a.png' }).avatar).toBe('https://example.com/a.png');
    expect(accept({ name: 'x', avatar: 'http://example.com/a.png' }).avatar).toBe('http://example.com/a.png');
  });
  it('refuses a javascript: URL', () => {
    expect(refuse({ name: 'x', avatar: 'javascript:alert(1)' }).field).toBe('avatar');
  });
  it('is null (the placeholder) when missing', () => {
    expect(accept({ name: 'x' }).avatar).toBeNull();
  });
  it('refuses a non-string avatar', () => {
    expect(refuse({ name: 'x', avatar: 7 }).field).toBe('avatar');
  });
});

describe('type and content', () => {
  it('defaults to text and accepts a string', () => {
    const event = accept({ name: 'x', content: 'hello' });
    expect(event.type).toBe('text');
    expect(event.content).toBe('hello');
  });
  it('refuses an object as text content', () => {
    expect(refuse({ name: 'x', type: 'text', content: { a: 1 } }).field).toBe('content');
  });
  it('accepts json content as an object, an array or a string holding JSON', () => {
    expect(accept({ name: 'x', type: 'json', content: { a: 1 } }).content).toEqual({ a: 1 });
    expect(accept({ name: 'x', type: 'json', content: [1, 'two'] }).content).toEqual([1, 'two']);
    expect(accept({ name: 'x', type: 'json', content: '{"b":[true]}' }).content).toEqual({ b: [true] });
  });
  it('refuses a json string that is not valid JSON', () => {
    expect(refuse({ name: 'x', type: 'json', content: '{not json' }).field).toBe('content');
  });
  it('accepts an http(s) URL as image content and refuses any other scheme', () => {
    expect(accept({ name: 'x', type: 'image', content: 'https://example.com/i.png' }).content).toBe('https://example.com/i.png');
    expect(accept({ name: 'x', type: 'image', content: 'http://example.com/i.png' }).type).toBe('image');
    expect(refuse({ name: 'x', type: 'image', content: 'data:image/png;base64,AAAA' }).field).toBe('content');
    expect(refuse({ name: 'x', type: 'image', content: 'javascript:alert(1)' }).field).toBe('content');
  });
  it('accepts rows with label, type and content', () => {
    const event = accept({
      name: 'x',
      type: 'rows',
      content: [
        { label: 'Plan', content: 'Pro' },
        { label: 'Data', type: 'json', content: { seats: 3 } },
        { type: 'image', content: 'https://example.com/r.png' },
      ],
    });
    expect(event.content).toEqual([
      { label: 'Plan', type: 'text', content: 'Pro' },
      { label: 'Data', type: 'json', content: { seats: 3 } },
      { label: null, type: 'image', content: 'https://example.com/r.png' },
    ]);
  });
  it('refuses rows inside rows', () => {
    const problem = refuse({ name: 'x', type: 'rows', content: [{ label: 'a', content: 'ok' }, { type: 'rows', content: [] }] });
    expect(problem.field).toBe('content[1].type');
  });
  it('refuses rows content that is not an array', () => {
    expect(refuse({ name: 'x', type: 'rows', content: 'nope' }).field).toBe('content');
  });
  it('accepts map and shows it as text', () => {
    const event = accept({ name: 'x', type: 'map', content: { lat: 1, lng: 2 } });
    expect(event.type).toBe('text');
    expect(typeof event.content).toBe('string');
    expect(event.content as string).toContain('"lat": 1');
  });
  it('refuses an unknown type', () => {
    expect(refuse({ name: 'x', type: 'video', content: 'x' }).field).toBe('type');
  });
  it('accepts content up to 64 KiB serialized and refuses more', () => {
    // JSON.stringify adds two quote characters around a string.
    expect(accept({ name: 'x', content: 'a'.repeat(64 * 1024 - 2) }).content).toHaveLength(64 * 1024 - 2);
    expect(refuse({ name: 'x', content: 'a'.repeat(64 * 1024 - 1) }).field).toBe('content');
  });
  it('counts the content limit in UTF-8 bytes', () => {
    // 'é' is 2 bytes: 33,000 of them are 66,000 bytes, over the limit though under 64 Ki characters.
    expect(refuse({ name: 'x', content: 'é'.repeat(33_000) }).field).toBe('content');
  });
});

describe('category', () => {
  it('accepts 64 characters and refuses 65', () => {
    expect(accept({ name: 'x', category: 'c'.repeat(64) }).category).toBe('c'.repeat(64));
    expect(refuse({ name: 'x', category: 'c'.repeat(65) }).field).toBe('category');
  });
});

describe('booleans: notify, test, contextStart', () => {
  for (const field of ['notify', 'test', 'contextStart'] as const) {
    it(`accepts ${field}: true and refuses a non-boolean ${field}`, () => {
      expect(accept({ name: 'x', [field]: true })[field]).toBe(true);
      expect(accept({ name: 'x' })[field]).toBe(false);
      expect(refuse({ name: 'x', [field]: 'true' }).field).toBe(field);
      expect(refuse({ name: 'x', [field]: 1 }).field).toBe(field);
    });
  }
});

describe('contextId and userId', () => {
  it('accepts a string or number contextId, as text', () => {
    expect(accept({ name: 'x', contextId: 'order-1' }).contextId).toBe('order-1');
    expect(accept({ name: 'x', contextId: 991 }).contextId).toBe('991');
  });
  it('accepts a 191-character contextId and refuses 192', () => {
    expect(accept({ name: 'x', contextId: 'k'.repeat(191) }).contextId).toHaveLength(191);
    expect(refuse({ name: 'x', contextId: 'k'.repeat(192) }).field).toBe('contextId');
  });
  it('refuses a contextId that is neither string nor number', () => {
    expect(refuse({ name: 'x', contextId: true }).field).toBe('contextId');
  });
  it('accepts a string or number userId, as text, and refuses other types', () => {
    expect(accept({ name: 'x', userId: 'u_1' }).userId).toBe('u_1');
    expect(accept({ name: 'x', userId: 17 }).userId).toBe('17');
    expect(refuse({ name: 'x', userId: ['u'] }).field).toBe('userId');
  });
  it('accepts a 191-character userId and refuses 192 (it was unbounded)', () => {
    expect(accept({ name: 'x', userId: 'u'.repeat(191) }).userId).toHaveLength(191);
    const problem = refuse({ name: 'x', userId: 'u'.repeat(192) });
    expect(problem.field).toBe('userId');
    expect(problem.message).toMatch(/at most 191/);
    expect(refuse({ name: 'x', userId: 'u'.repeat(100_000) }).field).toBe('userId');
  });
});

describe('credentials in URLs (user:pass@) are never stored: every reader of the event would see them', () => {
  const withCreds = ['https://user:pass@example.com/i.png', 'https://user@example.com/i.png', 'http://:secret@example.com/i.png'];
  it.each(withCreds)('refuses %s as an avatar, as image content and as an image row, naming the field', (url) => {
    expect(refuse({ name: 'x', avatar: url }).field).toBe('avatar');
    expect(refuse({ name: 'x', type: 'image', content: url }).field).toBe('content');
    const rows = refuse({ name: 'x', type: 'rows', content: [{ label: 'a', content: 'ok' }, { label: 'b', type: 'image', content: url }] });
    expect(rows.field).toMatch(/^content\[1\]/);
    expect(rows.message).toMatch(/user name or password/);
  });
  it('still accepts an @ in the path or query', () => {
    expect(accept({ name: 'x', type: 'image', content: 'https://example.com/@me/i.png?by=a@b' }).content).toBe('https://example.com/@me/i.png?by=a@b');
  });
});

describe('unknown fields', () => {
  it('ignores them and lists them in warnings', () => {
    const result = parseIngestBody({ name: 'x', muted: true, color: 'red' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings.some((w) => w.includes('muted'))).toBe(true);
    expect(result.warnings.some((w) => w.includes('color'))).toBe(true);
  });
  it('gives no warnings for a body of known fields only', () => {
    const result = parseIngestBody({ name: 'x', category: 'c' });
    expect(result.ok && result.warnings).toEqual([]);
  });
});

describe('the body itself', () => {
  it('refuses a body that is not a JSON object', () => {
    expect(refuse([{ name: 'x' }]).field).toBeNull();
    expect(refuse(null).field).toBeNull();
    expect(refuse('just text').field).toBeNull();
  });
});

describe('the text/plain shortcut', () => {
  it('turns a leading emoji into the avatar and the rest into the name', () => {
    const result = parsePlainTextBody('🚨 login from new device');
    expect(result.ok && result.event.avatar).toBe('🚨');
    expect(result.ok && result.event.name).toBe('login from new device');
  });
  it('keeps text without a leading emoji as the name and no avatar', () => {
    const result = parsePlainTextBody('backup done\n');
    expect(result.ok && result.event.name).toBe('backup done');
    expect(result.ok && result.event.avatar).toBeNull();
  });
  it('refuses an empty body', () => {
    const result = parsePlainTextBody('   ');
    expect(result.ok).toBe(false);
  });
  it('refuses a name over 200 characters', () => {
    const result = parsePlainTextBody('x'.repeat(201));
    expect(!result.ok && result.problem.field).toBe('name');
  });
});

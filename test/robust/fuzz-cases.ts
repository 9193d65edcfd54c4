/**
 * The ingest fuzzer's material (CONTRACT.md §1): makers of requests the contract refuses, each with the
 * status and, where one field is at fault, the field the answer must name; and requests that look odd
 * but the contract accepts (201), so that a server refusing everything cannot pass.
 */
import { graphemes } from '../../contract/text.ts';
import type { Rng } from './support.ts';

export interface FuzzCase {
  label: string;
  method?: string;
  path?: string;
  /** Authorization header: undefined sends the valid key, null sends none. */
  auth?: string | null;
  /** Content-Type: undefined sends application/json, null sends none. */
  contentType?: string | null;
  /** Further headers as a raw [name, value…] list (so one can be repeated). */
  extra?: string[];
  body?: string | Buffer;
  chunked?: boolean;
  status: number;
  /** The error.field the answer must carry; undefined: only its type is checked. */
  field?: string | null;
}

export type Maker = (rng: Rng) => FuzzCase;

const deep = (n: number, open = '[', close = ']', leaf = '') => open.repeat(n) + leaf + close.repeat(n);
/** Deep nesting cannot go through JSON.stringify (it overflows the stack), so a marker is spliced in as text. */
const DEEP = (n: number, kind: 'a' | 'o' = 'a') => `\u0001deep:${kind}:${n}`;
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001deep:([ao]):(\d+)"/g, (_, kind: string, n: string) =>
    kind === 'a' ? deep(Number(n)) : deep(Number(n), '{"a":', '}', '1'),
  );
}
const action = (i: number) => ({ url: 'https://example.com/hook', buttonText: `Do ${i}`, key: `k${i}` });

/** A valid event with a random mix of the optional fields (never type or content). */
export function baseEvent(rng: Rng): Record<string, unknown> {
  const e: Record<string, unknown> = { name: `fuzz ${rng.int(1e9)}` };
  if (rng.chance(0.3)) e.avatar = rng.pick(['🚨', '✅', 'AB', 'https://example.com/a.png']);
  if (rng.chance(0.3)) e.category = rng.pick(['signups', 'billing', 'ops']);
  if (rng.chance(0.3)) e.test = rng.chance(0.5);
  if (rng.chance(0.2)) e.contextId = rng.pick(['ctx-1', 42]);
  if (rng.chance(0.2)) e.userId = rng.pick(['u-1', 7]);
  if (rng.chance(0.3)) e.actions = Array.from({ length: 1 + rng.int(3) }, (_, i) => action(i));
  return e;
}

const json = (label: string, status: number, field: string | null | undefined, body: (rng: Rng) => unknown): Maker => (rng) => ({
  label,
  status,
  field,
  body: toJson(body(rng)),
});

/** Schemes and shapes that must never be stored as a link or an image. */
export const HOSTILE_URLS = [
  'javascript:alert(1)', 'JaVaScRiPt:alert(document.cookie)', ' javascript:alert(1)', '\tjavascript:alert(1)',
  'java\tscript:alert(1)', '\u0000javascript:alert(1)', 'javascript://example.com/%0Aalert(1)',
  'data:text/html,<script>alert(1)</script>', 'data:image/png;base64,iVBORw0KGgo=', 'vbscript:msgbox(1)',
  'file:///etc/passwd', 'ftp://example.com/x', 'blob:https://example.com/4f1c', 'about:blank', 'mailto:a@example.com',
  '/relative/path', 'relative/path.png', '//evil.example/x', '\\\\evil.example\\share', 'http:/evil.example',
  'https:evil.example', 'http://', 'https://', 'http:// evil.example', 'http://exa mple.com/', 'ｊａｖａｓｃｒｉｐｔ:alert(1)',
  'http：//example.com/', 'https:／／example.com/', `https://${'a'.repeat(3000)}.example.com/`, `https://example.com/${'p'.repeat(2030)}`,
];

/** Odd URLs the contract allows (absolute http(s) without user:pass@, at most 2048 characters). */
export const ODD_VALID_URLS = [
  'http://[::1]/hook', 'http://127.0.0.1:1/x', 'http://0x7f000001/', 'https://еxample.com/', 'HTTPS://EXAMPLE.COM/A',
  'https://example.com/a b', 'https://example.com/#javascript:alert(1)',
  'https://example.com/?q=<script>alert(1)</script>', `https://example.com/${'p'.repeat(2028)}`,
];

const EVENT_FAULTS: [string, unknown[]][] = [
  ['name', [true, false, {}, [], [1], { a: 1 }, 'n'.repeat(201), 'n'.repeat(5000), '   ']],
  ['avatar', [1, true, {}, [], 'abcdefghi', '🚨'.repeat(9), 'x'.repeat(5000)]],
  ['type', [1, true, {}, [], '', 'video', 'TEXT', 'rows ', 'html', '__proto__', 'constructor', 'toString']],
  ['category', [1, true, {}, [], 'c'.repeat(65), 'c'.repeat(10_000)]],
  ['notify', ['true', 1, 0, 'yes', {}, []]],
  ['test', ['true', 1, 0, 'no', {}, []]],
  ['contextStart', ['true', 1, {}, []]],
  ['contextId', [true, {}, [], 'x'.repeat(192), 'x'.repeat(5000)]],
  ['userId', [true, false, {}, [], [1]]],
  ['actions', ['x', 1, true, {}, Array.from({ length: 11 }, (_, i) => action(i))]],
];

const ACTION_FAULTS: [string, unknown[]][] = [
  ['url', [undefined, null, 1, true, {}, [], ...HOSTILE_URLS]],
  ['buttonText', [undefined, null, 1, {}, '', '   ', 'b'.repeat(49), 'b'.repeat(4000)]],
  ['key', [1, {}, '', 'k'.repeat(65)]],
  ['external', ['true', 1, {}]],
  ['expireIn', [0, -1, 43_201, 1.5, '60', true, 1e12, {}]],
  ['meta', [1, true, 'm'.repeat(4095), { big: 'm'.repeat(5000) }, DEEP(10_000)]],
  ['repeat', ['yes', 1]],
  ['type', ['warning', 'DANGER', '', 1, {}]],
];

const CONTENT_FAULTS: [string, unknown, string][] = [
  ['text', {}, 'content'], ['text', [1, 2], 'content'], ['text', 't'.repeat(65_535), 'content'],
  ['json', 'not json{', 'content'], ['json', 5, 'content'], ['json', true, 'content'], ['json', '', 'content'],
  ['json', DEEP(10_000), 'content'], ['json', deep(10_000), 'content'], ['json', DEEP(5000, 'o'), 'content'],
  ['map', DEEP(10_000), 'content'],
  ['image', 5, 'content'], ['image', {}, 'content'], ...HOSTILE_URLS.map((u): [string, unknown, string] => ['image', u, 'content']),
  ['rows', 'x', 'content'], ['rows', {}, 'content'], ['rows', [1], 'content[0]'], ['rows', [[]], 'content[0]'],
  ['rows', [{ type: 'rows', content: [] }], 'content[0].type'], ['rows', [{ type: 'video', content: 'x' }], 'content[0].type'],
  ['rows', [{ label: {}, content: 'x' }], 'content[0].label'], ['rows', [{ label: 'no content' }], 'content[0].content'],
  ['rows', [{ type: 'image', content: 'javascript:alert(1)' }], 'content[0].content'],
  ['rows', [{ type: 'json', content: '{bad' }], 'content[0].content'], ['rows', [{ type: 'json', content: DEEP(10_000) }], 'content'],
];

const PROTO_BODIES = [
  '{"name":"x","__proto__":{"test":true}}',
  '{"__proto__":{"isAdmin":true},"name":"x"}',
  '{"name":"x","actions":[{"url":"https://e.com","buttonText":"b","__proto__":{"external":true}}]}',
  '{"name":"x","actions":[{"url":"https://e.com","buttonText":"b","meta":{"__proto__":{"polluted":1}}}]}',
  '{"name":"x","type":"json","content":{"a":[{"__proto__":{"polluted":1}}]}}',
  '{"name":"x","type":"rows","content":[{"content":"c","__proto__":{"type":"json"}}]}',
  '{"name":"x","constructor":{"prototype":{"polluted":1}}}',
  '{"name":"x","actions":[{"url":"https://e.com","buttonText":"b","meta":{"constructor":{"prototype":{"p":1}}}}]}',
  '{"name":"x","type":"json","content":{"constructor":{"prototype":{"polluted":1}}}}',
];

const INVALID_JSON = [
  '{name:"x"}', "{'name':'x'}", '{"name":"x",}', '{"name":"x"}}', '{"name":"x"} trailing', 'NaN', '{"name":NaN}',
  '{"name":undefined}', '{"name":"\\x"}', '{"name":"x"\u0000}', '{"name":"x"', '{', '[', '"', '{"name":"x",',
  '\uFEFF\uFEFF{"name":"x"}', '{"name":\uFEFF"x"}', '{"name":"x"}\u0000', '{"name":0x10}', '{"name":01}', '{"name":1.}',
];

const BAD_CONTENT_TYPES = [
  null, 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json-patch+json',
  'text/html', 'application/xml', 'application/octet-stream', 'text/json', 'application/vnd.api+json', '*/*',
  'application/ json', 'json', 'text/plainx', 'application/json, text/plain', ';', 'image/png',
];

const KEY_PLACEHOLDER = '<valid key>';
export const BAD_AUTH: (string | null)[] = [
  null, '', 'Bearer', 'Bearer ', 'Bearer a b', `Bearer ${KEY_PLACEHOLDER} extra`, 'Bearer sb_wrongwrongwrongwrongwrongwrongwrong',
  'Bearer sb_ab cd', Buffer.from('Bearer sb_ключ🔑', 'utf8').toString('latin1'), 'Bearer \u00e9\u00e9', `Basic ${Buffer.from('u:p').toString('base64')}`,
  `Bearer ${'x'.repeat(6000)}`, 'Bearer null', 'Bearer undefined', "Bearer ' OR 1=1 --", '<revoked key>', `${KEY_PLACEHOLDER}x`,
];

/** Every refused request family; each maker draws a fresh valid base so the fault is the only problem. */
export function badMakers(): Maker[] {
  const makers: Maker[] = [];
  for (const [field, values] of EVENT_FAULTS) {
    for (const v of values) makers.push(json(`${field}=${String(JSON.stringify(v)).slice(0, 30)}`, 400, field, (rng) => ({ ...baseEvent(rng), [field]: v })));
  }
  for (const [field, values] of ACTION_FAULTS) {
    for (const v of values) {
      makers.push((rng) => {
        const actions: Record<string, unknown>[] = Array.from({ length: 1 + rng.int(3) }, (_, i) => action(i));
        const at = rng.int(actions.length);
        if (v === undefined) delete actions[at]![field];
        else actions[at]![field] = v;
        return { label: `actions[].${field}=${String(JSON.stringify(v)).slice(0, 30)}`, status: 400, field: `actions[${at}].${field}`, body: toJson({ ...baseEvent(rng), actions }) };
      });
    }
  }
  makers.push(json('duplicate action key', 400, 'actions[1].key', (rng) => ({ ...baseEvent(rng), actions: [{ ...action(0), key: 'same' }, { ...action(1), key: 'same' }] })));
  makers.push(json('actions=[1]', 400, 'actions[0]', (rng) => ({ ...baseEvent(rng), actions: [1] })));
  makers.push(json('actions=[null]', 400, 'actions[0]', (rng) => ({ ...baseEvent(rng), actions: [null] })));
  for (const [type, content, field] of CONTENT_FAULTS) {
    makers.push(json(`${type} content ${String(JSON.stringify(content)).slice(0, 30)}`, 400, field, (rng) => ({ ...baseEvent(rng), type, content })));
  }
  for (const u of HOSTILE_URLS.filter((x) => graphemes(x.trim()).length > 8)) {
    makers.push(json(`avatar=${u.slice(0, 30)}`, 400, 'avatar', (rng) => ({ ...baseEvent(rng), avatar: u })));
  }
  makers.push(json('no name, no content', 400, 'name', () => ({ category: 'x' })));
  for (const top of [null, 1, 'str', [], true]) makers.push(json(`body ${JSON.stringify(top)}`, 400, null, () => top));
  // An array is a batch (§13): 207, every item refused alone.
  makers.push(json('a batch of bad items', 207, null, () => [1, null, 'str', { avatar: 5 }, [{ name: 'x' }]]));
  for (const body of [...PROTO_BODIES, ...INVALID_JSON]) makers.push(() => ({ label: `raw ${body.slice(0, 40)}`, status: 400, field: null, body }));
  makers.push((rng) => {
    const whole = JSON.stringify(baseEvent(rng));
    return { label: 'truncated JSON', status: 400, field: null, body: whole.slice(0, 1 + rng.int(whole.length - 1)) };
  });
  makers.push(() => ({ label: 'UTF-16 JSON', status: 400, field: null, contentType: 'application/json; charset=utf-16le', body: Buffer.from('{"name":"x"}', 'utf16le') }));
  makers.push(() => ({ label: 'deep 10k top-level (a batch of one refused item)', status: 207, field: null, body: deep(10_000) }));
  makers.push(() => ({ label: 'deep 10k top-level object', status: 400, field: 'name', body: deep(10_000, '{"a":', '}', '1') }));
  makers.push(() => ({ label: 'deep 50k content (<100 KiB)', status: 400, field: 'content', body: `{"type":"json","content":${deep(50_000)}}` }));
  makers.push(() => ({ label: 'deep name', status: 400, field: 'name', body: `{"name":${deep(10_000)}}` }));
  for (const ct of BAD_CONTENT_TYPES) makers.push((rng) => ({ label: `content-type ${ct}`, status: 415, field: null, contentType: ct, body: JSON.stringify(baseEvent(rng)) }));
  makers.push(() => ({ label: 'text/plain blank', status: 400, field: 'name', contentType: 'text/plain', body: ' \n\t ' }));
  makers.push(() => ({ label: 'text/plain empty', status: 400, field: 'name', contentType: 'text/plain; charset=utf-8', body: '' }));
  makers.push(() => ({ label: 'text/plain 201 chars', status: 400, field: 'name', contentType: 'text/plain', body: 'n'.repeat(201) }));
  const big = (n: number) => `{"name":"x","pad":"${'p'.repeat(n - 21)}"}`;
  makers.push(() => ({ label: 'JSON body 100 KiB + 1', status: 413, field: null, body: big(102_401) }));
  makers.push(() => ({ label: 'JSON body 1 MiB', status: 413, field: null, body: big(1024 * 1024) }));
  makers.push(() => ({ label: 'chunked body 100 KiB + 1', status: 413, field: null, chunked: true, body: big(102_401) }));
  makers.push(() => ({ label: 'text body 100 KiB + 1', status: 413, field: null, contentType: 'text/plain', body: 'n'.repeat(102_401) }));
  makers.push(() => ({ label: 'deep 60k (> 100 KiB)', status: 413, field: null, body: `{"type":"json","content":${deep(60_000)}}` }));
  for (const auth of BAD_AUTH) makers.push((rng) => ({ label: `auth ${String(auth).slice(0, 30)}`, status: 401, field: null, auth, body: JSON.stringify(baseEvent(rng)) }));
  makers.push(() => ({ label: 'no auth, huge body', status: 401, field: null, auth: null, body: big(200_000) }));
  for (const extra of [['idempotency-key', ''], ['idempotency-key', 'i'.repeat(256)], ['idempotency-key', 'a', 'idempotency-key', 'b'], ['idempotency-key', 'x', 'idempotency-key', 'x']]) {
    makers.push((rng) => ({ label: `idempotency-key ${extra.join(' ').slice(0, 40)}`, status: 400, field: 'Idempotency-Key', extra, body: JSON.stringify(baseEvent(rng)) }));
  }
  makers.push(() => ({ label: 'valid idempotency key, bad body', status: 400, field: 'name', extra: ['idempotency-key', `bad-${Math.random()}`], body: '{"name":{}}' }));
  for (const [method, path] of [['GET', '/api/v1/log'], ['PUT', '/api/v1/log'], ['DELETE', '/api/v1/ingest'], ['PATCH', '/api/v1/log'], ['POST', '/api/v1/log/'], ['POST', '/api/v1/LOG'], ['POST', '/api/v1/log/x']]) {
    makers.push((rng) => ({ label: `${method} ${path}`, method, path, status: 404, field: null, body: JSON.stringify(baseEvent(rng)) }));
  }
  return makers;
}

export function resolveAuth(auth: string | null | undefined, key: string, revokedKey: string): string | null {
  if (auth === undefined) return `Bearer ${key}`;
  if (auth === '<revoked key>') return `Bearer ${revokedKey}`;
  return auth === null ? null : auth.replace(KEY_PLACEHOLDER, key);
}

const bom = '\uFEFF';
/** Odd requests the contract accepts: each must be answered 201. */
export function acceptedCases(): FuzzCase[] {
  const ok = (label: string, body: unknown, more: Partial<FuzzCase> = {}): FuzzCase => ({ label, status: 201, body: typeof body === 'string' ? body : JSON.stringify(body), ...more });
  const deepUnknown = `{"name":"deep unknown field","extra":${deep(10_000)}}`;
  return [
    // Raw JSON text: numbers beyond double precision are what a client may really send.
    ...['0', '-1.5', '1e21', '12345678901234567890123', '3.14159', '-0'].map((n) => ok(`number name ${n}`, `{"name":${n}}`)),
    ...['🚨', '🚨🔥', '👩‍👩‍👧‍👦', '🇩🇪'].map((t) => ok(`emoji-only text/plain ${t}`, t, { contentType: 'text/plain; charset=utf-8' })),
    ok('text/plain with emoji avatar', '🚨 login from new device', { contentType: 'text/plain' }),
    ok('text/plain with BOM', `${bom}hello`, { contentType: 'text/plain' }),
    ...[{ a: 1 }, [1, 2], 'str', 42].map((content) => ok(`map content ${JSON.stringify(content)}`, { name: 'm', type: 'map', content })),
    ok('name at 200', { name: 'n'.repeat(200) }),
    ok('category at 64', { name: 'c', category: 'c'.repeat(64) }),
    ok('contextId at 191', { name: 'c', contextId: 'x'.repeat(191) }),
    ok('numeric contextId and userId', '{"name":"c","contextId":9007199254740993,"userId":-0}'),
    ok('avatar of 8 graphemes', { name: 'a', avatar: '👩‍👩‍👧‍👦'.repeat(8) }),
    ok('content at 64 KiB', { name: 'c', content: 't'.repeat(65_534) }),
    ok('json content 128 deep', { name: 'j', type: 'json', content: JSON.parse(deep(128)) }),
    ok('json content string holding __proto__', { name: 'j', type: 'json', content: '{"__proto__":{"polluted":true}}' }),
    ok('10 actions at every limit', {
      name: 'a',
      actions: Array.from({ length: 10 }, (_, i) => ({ url: `https://example.com/${'u'.repeat(2028)}`.slice(0, 2048), buttonText: `${i}`.padEnd(48, 'b'), key: `${i}`.padEnd(64, 'k'), expireIn: i % 2 ? 1 : 43_200, meta: 'm'.repeat(4094) })),
    }),
    ok('actions without keys share a slug', { name: 'a', actions: [{ url: 'https://e.com/1', buttonText: 'Press me' }, { url: 'https://e.com/2', buttonText: 'Press me' }] }),
    ...ODD_VALID_URLS.map((u) => ok(`odd valid url ${u.slice(0, 40)}`, { name: 'u', avatar: u, actions: [{ url: u, buttonText: 'Go' }] })),
    ...ODD_VALID_URLS.map((u) => ok(`odd valid image ${u.slice(0, 40)}`, { name: 'u', type: 'image', content: u })),
    ok('short scheme-like avatar text', { name: 'x', avatar: 'data:x' }),
    ok('constructor and prototype as unknown fields', '{"name":"x","constructor":1,"prototype":{"a":1}}'),
    ok('constructor in meta and json content', '{"name":"x","type":"json","content":{"constructor":"c","prototype":[]},"actions":[{"url":"https://e.com","buttonText":"b","meta":{"constructor":1},"prototype":2}]}'),
    ok('__proto__ as a value', { name: '__proto__', category: '__proto__', contextId: 'constructor', userId: 'prototype' }),
    ok('deep unknown field is ignored', deepUnknown),
    ok('body of exactly 100 KiB', `{"name":"x","pad":"${'p'.repeat(102_400 - 21)}"}`),
    ok('JSON with one BOM', `${bom}{"name":"bom"}`),
    ok('escaped NUL and lone surrogate', '{"name":"a\\u0000b\\ud800","category":"\\u0000"}'),
    ok('content-type without space / upper case', { name: 'ct' }, { contentType: 'APPLICATION/JSON;CHARSET=UTF-8' }),
    ok('chunked body', { name: 'chunked' }, { chunked: true }),
    ok('idempotency key at 255', { name: 'idem' }, { extra: ['idempotency-key', `i${Math.random()}`.padEnd(255, 'i')] }),
    ...['Token', 'Basic', 'bearer', 'x'].map((scheme) => ok(`scheme word ${scheme}`, { name: 'scheme' }, { auth: `${scheme} ${KEY_PLACEHOLDER}` })),
    ok('key alone, tab before it', { name: 'scheme' }, { auth: `\t${KEY_PLACEHOLDER}` }),
  ];
}

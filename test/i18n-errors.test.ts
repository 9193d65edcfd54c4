/**
 * Every error code the server can send has a text of its own (CONTRACT §14): the PWA says a server
 * error in the person's language by its `code` (src/lib/api.ts, `errors.<code>`), so a new code
 * without a text in the English catalog (the source of every translation) fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogFile, readCatalog } from '../server/i18n/catalogs.ts';

const SERVER = fileURLToPath(new URL('../server/', import.meta.url));

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );

/**
 * Where a code is written: `new ApiError(409, 'slug_taken', …)` (on one line or several), an error body
 * or refusal `{ code: 'store_unavailable', … }`, a table of codes by HTTP status (`404: 'not_found',`).
 */
const PATTERNS = [/ApiError\(\s*[^,()]+,\s*'([a-z_]+)'/g, /\bcode: '([a-z_]+)'/g, /^\s*\d{3}: '([a-z_]+)',?$/gm];

/** Every code the server's source can send, with a file that sends it. */
function serverCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of sources(SERVER)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of PATTERNS) for (const m of text.matchAll(pattern)) if (!codes.has(m[1]!)) codes.set(m[1]!, file.slice(SERVER.length));
  }
  return codes;
}

describe('server error codes', () => {
  it('are found in the server source', () => {
    const codes = serverCodes();
    // The ones every part of the app meets: if these are missing, the patterns above stopped matching.
    for (const code of ['not_found', 'forbidden', 'invalid_field', 'internal_error', 'store_unavailable', 'bad_request', 'unauthenticated']) {
      expect(codes.has(code), code).toBe(true);
    }
  });

  it('each have an errors text in the English catalog', () => {
    const english = readCatalog(catalogFile('errors', 'en'));
    const missing = [...serverCodes()].filter(([code]) => english[`errors.${code}`] === undefined).map(([code, file]) => `${code} (${file})`);
    expect(missing, 'add errors.<code> to every src/locales/errors/*.json').toEqual([]);
  });
});

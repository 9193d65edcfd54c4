/**
 * The app's first texts, asked for with the page: index.html's answer names the chunks of the
 * language the browser prefers (`Accept-Language`, the rule of contract/locales.ts) in a `Link:
 * rel=modulepreload` header (the chunks as the build's `locales.json` lists them), so the browser fetches them alongside the app's own scripts instead of
 * after them. A person whose account chose another language loads theirs as before (one request later).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES, pickLocale, START_NAMESPACES } from '../../contract/locales.ts';

/** `Accept-Language`'s tags, most wanted first (q=0 ones left out). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((l) => l.tag !== '' && l.tag !== '*' && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((l) => l.tag);
}

/** A function from `Accept-Language` to the Link header value (null: the build lists no texts). */
export function localePreloads(distDir: string): (acceptLanguage: string | undefined) => string | null {
  let manifest: Record<string, Record<string, string>> = {};
  try {
    manifest = JSON.parse(readFileSync(join(distDir, 'locales.json'), 'utf8')) as typeof manifest;
  } catch {
    return () => null;
  }
  const links = new Map<string, string>();
  for (const locale of LOCALES) {
    const chunks = START_NAMESPACES.map((ns) => manifest[locale]?.[ns]);
    if (chunks.every((f) => typeof f === 'string')) links.set(locale, chunks.map((f) => `</${f}>; rel=modulepreload`).join(', '));
  }
  return (acceptLanguage) => links.get(pickLocale(acceptedLanguages(acceptLanguage))) ?? null;
}

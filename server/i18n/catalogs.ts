/**
 * The translation catalogs (`src/locales/<namespace>/<locale>.json`, ICU MessageFormat, English the
 * source) compiled to Lingui's runtime form — at build time for the PWA (i18n/vitePlugin.ts), at start
 * for the server's pushes — and checked: a catalog lacking an id of the English one, having one it
 * does not, breaking ICU syntax, or naming an argument the English message does not pass is an error.
 * `en-XA` is the pseudo-locale of the browser tests: English, accented and 30% longer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CompiledMessage, compileMessageOrThrow } from '@lingui/message-utils/compileMessage';
import { LOCALES } from '../../contract/locales.ts';

export const LOCALES_DIR = fileURLToPath(new URL('../../src/locales/', import.meta.url));
export const SOURCE_LOCALE = 'en';
export const PSEUDO_LOCALE = 'en-XA';

export type Catalog = Record<string, string>;
export type CompiledCatalog = Record<string, CompiledMessage>;

export const namespaces = (): string[] =>
  readdirSync(LOCALES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

export const catalogFile = (namespace: string, locale: string, dir = LOCALES_DIR) => join(dir, namespace, `${locale}.json`);

export function readCatalog(file: string): Catalog {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file}: not a JSON object`);
  for (const [id, message] of Object.entries(parsed)) if (typeof message !== 'string') throw new Error(`${file}: ${id} is not a string`);
  return parsed as Catalog;
}

/** The argument names a compiled message uses, nested plural and select forms included. */
function argumentsOf(tokens: CompiledMessage, into = new Set<string>()): Set<string> {
  for (const token of tokens) {
    if (!Array.isArray(token)) continue;
    const [name, , format] = token;
    into.add(name);
    if (format && typeof format === 'object') {
      for (const [form, inner] of Object.entries(format)) if (form !== 'offset' && Array.isArray(inner)) argumentsOf(inner as CompiledMessage, into);
    }
  }
  return into;
}

/**
 * The plural forms a message lacks in `locale`: a Polish `{n, plural, one {…} other {…}}` without
 * `few` and `many` would say "5 zdarzenia" where "5 zdarzeń" is right, so every form the language
 * has (Intl.PluralRules) must be written.
 */
function missingPluralForms(tokens: CompiledMessage, locale: string, into: string[] = []): string[] {
  for (const token of tokens) {
    if (!Array.isArray(token)) continue;
    const [name, type, format] = token;
    if (!format || typeof format !== 'object') continue;
    const forms = format as Record<string, unknown>;
    if (type === 'plural' || type === 'selectordinal') {
      const needed = new Intl.PluralRules(locale, { type: type === 'plural' ? 'cardinal' : 'ordinal' }).resolvedOptions().pluralCategories;
      for (const form of needed) if (!(form in forms)) into.push(`{${name}} has no "${form}" form`);
    }
    for (const [form, inner] of Object.entries(forms)) if (form !== 'offset' && Array.isArray(inner)) missingPluralForms(inner as CompiledMessage, locale, into);
  }
  return into;
}

const ACCENTED: Record<string, string> = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'ď', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ĺ', m: 'ɱ',
  n: 'ñ', o: 'ó', p: 'þ', r: 'ŕ', s: 'š', t: 'ţ', u: 'ú', w: 'ŵ', y: 'ý', z: 'ž',
  A: 'Á', B: 'Ɓ', C: 'Ç', D: 'Ď', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Í', J: 'Ĵ', K: 'Ķ', L: 'Ĺ', M: 'Ṁ',
  N: 'Ñ', O: 'Ó', P: 'Þ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Ú', W: 'Ŵ', Y: 'Ý', Z: 'Ž',
};

/** A literal piece of a message in the pseudo-locale: accented, and padded by 30% with `~`. */
export function pseudoText(text: string): string {
  if (!/\p{L}/u.test(text)) return text;
  const accented = [...text].map((c) => ACCENTED[c] ?? c).join('');
  return `${accented}${'~'.repeat(Math.ceil(text.length * 0.3))}`;
}

/**
 * One catalog compiled, with every problem found in it. The source locale's catalog is checked for
 * syntax only; `en-XA` is made from it.
 */
export function compileCatalog(namespace: string, locale: string, dir = LOCALES_DIR): { messages: CompiledCatalog; problems: string[] } {
  const source = readCatalog(catalogFile(namespace, SOURCE_LOCALE, dir));
  const pseudo = locale === PSEUDO_LOCALE;
  const catalog = pseudo || locale === SOURCE_LOCALE ? source : readCatalog(catalogFile(namespace, locale, dir));
  const problems: string[] = [];
  const messages: CompiledCatalog = {};
  for (const [id, message] of Object.entries(catalog)) {
    if (!(id in source)) {
      problems.push(`${id}: not in ${SOURCE_LOCALE}.json`);
      continue;
    }
    try {
      messages[id] = compileMessageOrThrow(message, pseudo ? pseudoText : undefined);
    } catch (err) {
      problems.push(`${id}: ${(err as Error).message}`);
      continue;
    }
    if (!pseudo) for (const missing of missingPluralForms(messages[id]!, locale)) problems.push(`${id}: ${missing}`);
    if (catalog !== source) {
      const wanted = argumentsOf(compileMessageOrThrow(source[id]!));
      for (const name of argumentsOf(messages[id]!)) if (!wanted.has(name)) problems.push(`${id}: {${name}} is not an argument of the ${SOURCE_LOCALE} message`);
    }
  }
  for (const id of Object.keys(source)) if (!(id in catalog)) problems.push(`${id}: missing`);
  return { messages, problems };
}

/** Every catalog of every namespace and language, compiled; throws naming each problem. */
export function compileAll(locales: readonly string[] = LOCALES, only: readonly string[] = namespaces()): Record<string, CompiledCatalog> {
  const byLocale: Record<string, CompiledCatalog> = {};
  const problems: string[] = [];
  for (const locale of locales) {
    byLocale[locale] = {};
    for (const namespace of only) {
      const compiled = compileCatalog(namespace, locale);
      Object.assign(byLocale[locale], compiled.messages);
      problems.push(...compiled.problems.map((p) => `${namespace}/${locale}.json: ${p}`));
    }
  }
  if (problems.length > 0) throw new Error(`translation catalogs: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  return byLocale;
}

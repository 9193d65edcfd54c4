/**
 * The app's language (CONTRACT §14). Texts live in catalogs (`src/locales/<namespace>/<locale>.json`,
 * compiled at build time: no ICU parser in the bundle), one chunk per namespace and language, and only
 * the chosen language's chunks are downloaded: `core` and `feed` before the first render (the feed and
 * what it opens), the others with the pages that use them (lazyRetry's `namespace`).
 *
 * The language is the account's choice (Settings → Account → Language), remembered on this device so
 * the first paint is already in it; without one, the browser's languages pick it. Changing it remounts
 * the app (main.tsx keys the tree on it), so `t` can be a plain function: components, word modules and
 * formatters all call it.
 */
import { i18n, type Messages } from '@lingui/core';
import { isLocale, type Locale, localeDir, pickLocale } from '../../contract/locales.ts';
import { type MessageId, type Namespace, START_NAMESPACES } from './ids.ts';
import type { PageMessage } from '../lib/swProtocol.ts';
import { type AppLocale, currentLocale, PSEUDO, setCurrentLocale } from './locale.ts';
import { loadCatalog } from './catalogLoader.ts';

export { type AppLocale, currentLocale, intlLocale, onLocaleChange, PSEUDO } from './locale.ts';

const STORED = 'sb-locale';

/** The language this device last showed for its account's choice; null: follow the browser. */
export function storedLocale(): AppLocale | null {
  try {
    const value = localStorage.getItem(STORED);
    return value === PSEUDO || isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

export function storeLocale(locale: AppLocale | null): void {
  try {
    if (locale === null) localStorage.removeItem(STORED);
    else localStorage.setItem(STORED, locale);
  } catch {
    // Private mode: the account still remembers it.
  }
}

export const browserLocale = (): Locale => pickLocale(typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]));

/** What to show before the account is known: the stored choice, else the browser's. */
export const startingLocale = (): AppLocale => storedLocale() ?? browserLocale();

/** Every namespace the app has asked for: a new language loads them all before it shows. */
const wanted = new Set<Namespace>(START_NAMESPACES);
/** What each language has loaded so far. */
const loadedIn = new Map<AppLocale, Set<Namespace>>();

/** Loads what `locale` lacks of `namespaces` (in parallel), into the catalogs. */
async function ensure(locale: AppLocale, namespaces: readonly Namespace[]): Promise<void> {
  const have = loadedIn.get(locale) ?? new Set<Namespace>();
  const missing = namespaces.filter((ns) => !have.has(ns));
  if (missing.length === 0) return;
  const all = await Promise.all(missing.map((ns) => loadCatalog(ns, locale)));
  i18n.load(locale, Object.assign({}, ...all) as Messages);
  for (const ns of missing) have.add(ns);
  loadedIn.set(locale, have);
}

/**
 * Loads a namespace's texts in the current language (once); pages call it through lazyRetry. A
 * language chosen meanwhile is waited for, so the page never draws with texts of neither.
 */
export async function loadNamespace(namespace: Namespace): Promise<void> {
  wanted.add(namespace);
  for (;;) {
    const locale = currentLocale();
    await ensure(locale, [namespace]);
    if (locale === currentLocale()) return;
  }
}

/** Switches to `locale`: its texts for every namespace in use (also one asked for meanwhile), then `<html lang dir>`. */
export async function activate(locale: AppLocale): Promise<void> {
  while ([...wanted].some((ns) => !loadedIn.get(locale)?.has(ns))) await ensure(locale, [...wanted]);
  i18n.activate(locale);
  document.documentElement.lang = locale;
  document.documentElement.dir = locale === PSEUDO ? 'ltr' : localeDir(locale);
  setCurrentLocale(locale);
  keepOffline(locale);
}

/** The service worker keeps every page's texts in this language (sw.ts keepLanguage), for offline use. */
function keepOffline(locale: AppLocale): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const message: PageMessage = { type: 'language', locale };
  void navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage(message)).catch(() => undefined);
}

export type Values = Record<string, string | number | Date>;

/** A text of the catalogs, in the current language. */
export const t = (id: MessageId, values?: Values): string => i18n._(id, values);

/** Whether the catalogs have `id` (a server error code may be new to this build). */
export const hasText = (id: string): boolean => i18n.messages[id] !== undefined;

/** A text whose id is made at runtime (an error code, a role): `fallback` when the catalogs lack it. */
export const textOr = (id: string, fallback: string, values?: Values): string => (hasText(id) ? i18n._(id, values) : fallback);

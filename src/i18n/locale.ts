/**
 * The language in use, for whoever formats (lib/time.ts, countdowns, numbers): kept apart from the
 * catalogs' loader so pure formatting modules (and their unit tests) need no catalog at all.
 */
import { DEFAULT_LOCALE, type Locale } from '../../contract/locales.ts';

/** The pseudo-locale of the browser tests (accented, 30% longer): never listed, chosen only by storing it. */
export const PSEUDO = 'en-XA';
export type AppLocale = Locale | typeof PSEUDO;

let current: AppLocale = DEFAULT_LOCALE;
const listeners = new Set<() => void>();

export const currentLocale = (): AppLocale => current;

/**
 * For Intl. The pseudo-locale formats as Arabic (with Latin digits): its dates, relative times and
 * units are then plainly not English either, so the browser tests that look for English the catalogs
 * missed need no list of what Intl says in English.
 */
export const intlLocale = (): string => (current === PSEUDO ? 'ar-u-nu-latn' : current);

export function setCurrentLocale(locale: AppLocale): void {
  current = locale;
  for (const listener of listeners) listener();
}

export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** localStorage: the language this device's push subscription was last saved with (its pushes' words). */
export const PUSH_LOCALE_KEY = 'switchboard.pushLocale';

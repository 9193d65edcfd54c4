/**
 * The words of the pages the server itself renders (the single sign-on refusal), in the language the
 * browser asks for: the `server` texts, and the app's sentence for an error `code` (the `core`
 * catalog's `core.error.<code>`, the same the PWA shows). Compiled once per language, when first used.
 */
import { type I18n, setupI18n } from '@lingui/core';
import type { Locale } from '../../contract/locales.ts';
import { compileAll } from './catalogs.ts';

const byLocale = new Map<Locale, I18n>();

function i18nFor(locale: Locale): I18n {
  const known = byLocale.get(locale);
  if (known) return known;
  const messages = compileAll([locale], ['server', 'core'])[locale]!;
  const made = setupI18n({ locale, messages: { [locale]: messages } });
  byLocale.set(locale, made);
  return made;
}

/** A text in `locale`; null when the catalogs have no such id. */
export function pageWord(locale: Locale, id: string, values?: Record<string, string | number>): string | null {
  const i18n = i18nFor(locale);
  return i18n.messages[id] === undefined ? null : i18n._(id, values);
}

/**
 * The words of the pages the server itself renders (the single sign-on refusal), in the language the
 * browser asks for: the `server` texts, and the app's sentence for an error `code` (the `errors`
 * catalog's `errors.<code>`, the same the PWA shows). Compiled once per language, when first used (serverI18n).
 */
import type { Locale } from '../../contract/locales.ts';
import { serverI18n } from './serverI18n.ts';

/** A text in `locale`; null when the catalogs have no such id. */
export function pageWord(locale: Locale, id: string, values?: Record<string, string | number>): string | null {
  const { i18n } = serverI18n(locale, ['server', 'errors']);
  return i18n.messages[id] === undefined ? null : i18n._(id, values);
}

/**
 * The fixed words of pushes in the recipient's language (CONTRACT §14), from the `push` catalogs
 * (src/locales/push), compiled once per language when first used (serverI18n).
 */
import { DEFAULT_LOCALE, type Locale } from '../../contract/locales.ts';
import type { PushSay, PushWord } from '../../contract/push.ts';
import type { CompiledCatalog } from './catalogs.ts';
import { serverI18n } from './serverI18n.ts';

const sayers = new Map<Locale, PushSay>();

/** A plural message's forms with `#` left for the count (the service worker fills in its own count). */
function pluralForms(catalog: CompiledCatalog, id: PushWord): Record<string, string> {
  const [token] = catalog[id] ?? [];
  if (!Array.isArray(token) || token[1] !== 'plural' || !token[2] || typeof token[2] !== 'object') throw new Error(`${id} is not a plural message`);
  const forms: Record<string, string> = {};
  for (const [form, parts] of Object.entries(token[2] as Record<string, unknown>)) {
    if (form !== 'offset' && Array.isArray(parts)) forms[form] = parts.filter((p): p is string => typeof p === 'string').join('');
  }
  return forms;
}

export function pushSay(locale: Locale = DEFAULT_LOCALE): PushSay {
  const known = sayers.get(locale);
  if (known) return known;
  const { i18n, catalog } = serverI18n(locale, ['push']);
  const say: PushSay = Object.assign((id: PushWord, values?: Record<string, string | number>) => i18n._(id, values), {
    locale,
    forms: (id: PushWord) => pluralForms(catalog, id),
  });
  sayers.set(locale, say);
  return say;
}

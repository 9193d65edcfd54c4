/**
 * The server's own texts in a language: one Lingui instance per language and set of namespaces
 * (pushes: `push`; the pages it renders: `server` and `errors`), compiled from the catalogs when first
 * used and kept for the process's life.
 */
import { type I18n, setupI18n } from '@lingui/core';
import type { Locale } from '../../contract/locales.ts';
import { type CompiledCatalog, compileAll } from './catalogs.ts';

export interface ServerI18n {
  i18n: I18n;
  /** The compiled messages, for a caller that reads a message's structure (a plural's forms). */
  catalog: CompiledCatalog;
}

const made = new Map<string, ServerI18n>();

export function serverI18n(locale: Locale, namespaces: readonly string[]): ServerI18n {
  const key = `${locale} ${namespaces.join(' ')}`;
  const known = made.get(key);
  if (known) return known;
  const catalog = compileAll([locale], namespaces)[locale]!;
  const fresh = { i18n: setupI18n({ locale, messages: { [locale]: catalog } }), catalog };
  made.set(key, fresh);
  return fresh;
}

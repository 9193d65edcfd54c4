/// <reference types="vite/client" />
/**
 * Loads one catalog: a namespace's texts in one language (`later`: the first namespaces' texts the
 * first screen does not name, i18n/ids.ts). This is the dev server's loader: each catalog is a module
 * of src/locales. In a build, server/i18n/vitePlugin.ts replaces this module with one that loads the
 * build's files by name, `/assets/locale-<texts hash>/<namespace>-<language>.js`: the app carries
 * the folder's name, not a list of every language's file names (that list was 1.3 KB of the first
 * screen's JavaScript).
 */
import type { Messages } from '@lingui/core';
import { PSEUDO } from './locale.ts';

// Not `push` and `server`: the server's own words (notifications, the sign-on refusal page).
const catalogs = import.meta.glob<Messages>(['../locales/*/*.json', '!../locales/push/*.json', '!../locales/server/*.json'], { query: '?lingui', import: 'messages' });
const pseudoCatalogs = import.meta.glob<Messages>(['../locales/*/en.json', '!../locales/push/en.json', '!../locales/server/en.json'], { query: '?lingui&pseudo', import: 'messages' });

export function loadCatalog(namespace: string, locale: string): Promise<Messages> {
  // Nothing is split on the dev server: core and feed have every text.
  if (namespace === 'later') return Promise.resolve({});
  const load = locale === PSEUDO ? pseudoCatalogs[`../locales/${namespace}/en.json`] : catalogs[`../locales/${namespace}/${locale}.json`];
  if (!load) return Promise.reject(new Error(`no ${locale} catalog for ${namespace}`));
  return load();
}

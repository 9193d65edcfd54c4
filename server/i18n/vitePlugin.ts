/**
 * Vite: `src/locales/<namespace>/<locale>.json?lingui` becomes a module exporting that catalog
 * compiled (no ICU parser reaches the browser); `?lingui&pseudo` on the English file makes the
 * pseudo-locale's. A catalog with a problem (catalogs.ts) fails the build, and warns in dev.
 */
import { basename, dirname } from 'node:path';
import type { Plugin } from 'vite';
import { catalogFile, compileCatalog, PSEUDO_LOCALE } from './catalogs.ts';

export function catalogsPlugin(): Plugin {
  let building = false;
  return {
    name: 'switchboard-catalogs',
    enforce: 'pre',
    configResolved(config) {
      building = config.command === 'build';
    },
    load(id) {
      const [file = '', query = ''] = id.split('?');
      const flags = query.split('&');
      if (!file.endsWith('.json') || !flags.includes('lingui')) return null;
      const namespace = basename(dirname(file));
      const locale = flags.includes('pseudo') ? PSEUDO_LOCALE : basename(file, '.json');
      this.addWatchFile(file);
      this.addWatchFile(catalogFile(namespace, 'en'));
      const { messages, problems } = compileCatalog(namespace, locale);
      if (problems.length > 0) {
        const text = `${namespace}/${locale}.json: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`;
        if (building) this.error(text);
        else this.warn(text);
      }
      return { code: `export const messages = JSON.parse(${JSON.stringify(JSON.stringify(messages))});`, moduleType: 'js' };
    },
  };
}

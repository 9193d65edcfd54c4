/**
 * Vite: `src/locales/<namespace>/<locale>.json?lingui` becomes a module exporting that catalog
 * compiled (no ICU parser reaches the browser); `?lingui&pseudo` on the English file makes the
 * pseudo-locale's. A catalog with a problem (catalogs.ts) fails the build, and warns in dev.
 *
 * In a build, message ids are also shortened (`feed.triage.acknowledgedBy` → `3f`), in the catalogs
 * and in the app's code alike — ids are bytes every first screen downloads twice. Only ids the code
 * names as whole literals are shortened: one it builds at runtime (`errors.${code}`) keeps its name,
 * with every id under that prefix.
 *
 * The build also writes `locales.json`: each language's chunk per namespace.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { catalogFile, compileCatalog, LOCALES_DIR, namespaces, PSEUDO_LOCALE, readCatalog, SOURCE_LOCALE } from './catalogs.ts';

const SOURCE_DIR = join(LOCALES_DIR, '..');
const LITERAL = /(['"])([a-z]+\.[A-Za-z0-9_.]+)\1/g;
/** A template literal that builds an id: its fixed start. */
const BUILT = /`([a-z]+\.[A-Za-z0-9_.]*)\$\{/g;

function sourceFiles(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, into);
    else if (/\.tsx?$/.test(entry.name)) into.push(path);
  }
  return into;
}

/** Every id of the catalogs the code only names whole, with its short name. */
function shortIds(): Map<string, string> {
  const built = new Set<string>();
  for (const file of sourceFiles(SOURCE_DIR)) for (const m of readFileSync(file, 'utf8').matchAll(BUILT)) built.add(m[1]!);
  const ids = namespaces()
    .flatMap((ns) => Object.keys(readCatalog(catalogFile(ns, SOURCE_LOCALE))))
    .filter((id) => ![...built].some((prefix) => id.startsWith(prefix)))
    .sort();
  // No short name has a dot, so none can be a whole id.
  return new Map(ids.map((id, i) => [id, i.toString(36)]));
}

export function catalogsPlugin(): Plugin {
  let building = false;
  let short = new Map<string, string>();
  return {
    name: 'switchboard-catalogs',
    enforce: 'pre',
    configResolved(config) {
      building = config.command === 'build';
    },
    buildStart() {
      short = building ? shortIds() : new Map();
    },
    load(id) {
      const [file = '', query = ''] = id.split('?');
      const flags = query.split('&').map((f) => f.split('=')[0]);
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
      const named = Object.fromEntries(Object.entries(messages).map(([key, message]) => [short.get(key) ?? key, message]));
      return { code: `export const messages = JSON.parse(${JSON.stringify(JSON.stringify(named))});`, moduleType: 'js' };
    },
    /** `locales.json`: each language's chunk per namespace (the service worker keeps one language's; the server preloads). */
    generateBundle(_options, bundle) {
      const manifest: Record<string, Record<string, string>> = {};
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.facadeModuleId) continue;
        const [file = '', query = ''] = chunk.facadeModuleId.split('?');
        if (!file.startsWith(LOCALES_DIR) || !query.includes('lingui')) continue;
        const locale = query.includes('pseudo') ? PSEUDO_LOCALE : basename(file, '.json');
        const chunks = manifest[locale] ?? {};
        chunks[basename(dirname(file))] = chunk.fileName;
        manifest[locale] = chunks;
      }
      this.emitFile({ type: 'asset', fileName: 'locales.json', source: `${JSON.stringify(manifest)}\n` });
    },
    transform(code, id) {
      if (short.size === 0 || !id.startsWith(SOURCE_DIR) || !/\.tsx?$/.test(id.split('?')[0] ?? '')) return null;
      let changed = false;
      const out = code.replace(LITERAL, (whole, quote: string, name: string) => {
        const to = short.get(name);
        if (to === undefined) return whole;
        changed = true;
        return `${quote}${to}${quote}`;
      });
      return changed ? { code: out, map: null } : null;
    },
  };
}

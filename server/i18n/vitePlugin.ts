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
 * The first screen's namespaces (`core`, `feed`) are split in a build: their chunks keep only the texts
 * the first screen's code names (the modules the entry imports, not those it imports lazily); the rest
 * of both is `core/<locale>.json?lingui&later` (the `later` namespace), which the app loads with its
 * first lazy part (lib/lazy.ts). Which texts those are is read off the module graph once it is built
 * (buildEnd); the catalogs' code is then cut in renderChunk. In dev nothing is split (`later` is empty).
 *
 * In a build every catalog is a file of one folder named for the texts (`assets/locale-<hash>/`,
 * `<namespace>-<language>.js`): the app's loader (i18n/catalogLoader.ts, replaced here) names the
 * folder once instead of carrying every file's hashed name. The hash covers everything a catalog's
 * file is made of: the catalogs, and the code (its ids, which texts the first screen names).
 *
 * The build also writes `locales.json`: each language's chunk per namespace.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { LOCALES, START_NAMESPACES } from '../../contract/locales.ts';
import { catalogFile, type CompiledCatalog, compileCatalog, LOCALES_DIR, namespaces, PSEUDO_LOCALE, readCatalog, SOURCE_LOCALE } from './catalogs.ts';

const SOURCE_DIR = join(LOCALES_DIR, '..');
const LITERAL = /(['"])([a-z]+\.[A-Za-z0-9_.]+)\1/g;
/** A template literal that builds an id: its fixed start. */
const BUILT = /`([a-z]+\.[A-Za-z0-9_.]*)\$\{/g;

function sourceFiles(dir: string, into: string[] = [], pattern = /\.tsx?$/): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, into, pattern);
    else if (pattern.test(entry.name)) into.push(path);
  }
  return into;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The app's catalog loader for the dev server; a build replaces it (below). */
const LOADER = join(SOURCE_DIR, 'i18n', 'catalogLoader.ts');
/** The namespaces the app loads (not `push`, `server`: the server's own words). */
const appNamespaces = () => namespaces().filter((ns) => ns !== 'push' && ns !== 'server');

/** The texts' folder name: a hash of the catalogs and of the code that picks their ids. */
function textsHash(): string {
  const hash = createHash('sha256');
  const files = [...sourceFiles(SOURCE_DIR, [], /\.(tsx?|json)$/), ...sourceFiles(join(ROOT, 'contract')), ...sourceFiles(join(ROOT, 'server', 'i18n'))].sort();
  for (const file of files) hash.update(file.slice(ROOT.length)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 10);
}

/** The fixed starts of ids the code builds at runtime (`errors.${code}`): those ids keep their names. */
function builtPrefixes(): Set<string> {
  const built = new Set<string>();
  for (const file of sourceFiles(SOURCE_DIR)) for (const m of readFileSync(file, 'utf8').matchAll(BUILT)) built.add(m[1]!);
  return built;
}

/** Every id of the catalogs the code only names whole, with its short name. */
function shortIds(built: Set<string>): Map<string, string> {
  const ids = namespaces()
    .flatMap((ns) => Object.keys(readCatalog(catalogFile(ns, SOURCE_LOCALE))))
    .filter((id) => ![...built].some((prefix) => id.startsWith(prefix)))
    .sort();
  // No short name has a dot, so none can be a whole id.
  return new Map(ids.map((id, i) => [id, i.toString(36)]));
}

/** The namespace of the first namespaces' texts the first screen does not name. */
export const LATER = 'later';
/** Stands for a catalog's JSON in a built chunk until renderChunk knows which of its texts it keeps. */
const SLOT = /(["'`])switchboard-texts:(first|later):([a-z]+):([A-Za-z-]+)\1/g;
const slot = (part: 'first' | 'later', namespace: string, locale: string) => JSON.stringify(`switchboard-texts:${part}:${namespace}:${locale}`);
/** A quoted literal in built code that may be a short id. */
const SHORT_LITERAL = /(['"`])([0-9a-z]{1,4})\1/g;

export function catalogsPlugin(): Plugin {
  let building = false;
  let built = new Set<string>();
  let short = new Map<string, string>();
  /** Per `namespace:locale` of the first namespaces: the compiled catalog, under its short ids. */
  const firstCatalogs = new Map<string, CompiledCatalog>();
  /** The (short) ids the first screen's code names; null until the module graph is known. */
  let firstIds: Set<string> | null = null;
  /** The build's texts folder (under assets/); null on the dev server, and in a build of something else (the service worker). */
  let textsDir: string | null = null;

  const compiled = (ctx: { error(text: string): never; warn(text: string): void }, namespace: string, locale: string): CompiledCatalog => {
    const { messages, problems } = compileCatalog(namespace, locale);
    if (problems.length > 0) {
      const text = `${namespace}/${locale}.json: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`;
      if (building) ctx.error(text);
      else ctx.warn(text);
    }
    return Object.fromEntries(Object.entries(messages).map(([key, message]) => [short.get(key) ?? key, message]));
  };
  /** A first namespace's catalog, compiled once per build and language: its chunk and `later`'s are both cut from it. */
  const firstCatalog = (ctx: Parameters<typeof compiled>[0], namespace: string, locale: string): CompiledCatalog => {
    const key = `${namespace}:${locale}`;
    let catalog = firstCatalogs.get(key);
    if (catalog === undefined) {
      catalog = compiled(ctx, namespace, locale);
      firstCatalogs.set(key, catalog);
    }
    return catalog;
  };

  return {
    name: 'switchboard-catalogs',
    enforce: 'pre',
    configResolved(config) {
      building = config.command === 'build';
    },
    buildStart(options) {
      built = building ? builtPrefixes() : new Set();
      short = building ? shortIds(built) : new Map();
      firstCatalogs.clear();
      firstIds = null;
      const app = building && JSON.stringify(options.input ?? '').includes('index.html');
      textsDir = app ? `assets/locale-${textsHash()}` : null;
      if (textsDir === null) return;
      // Every catalog, by name in the texts' folder (the loader asks for them so).
      const emit = (id: string, name: string) => this.emitFile({ type: 'chunk', id, fileName: `${textsDir}/${name}.js`, preserveSignature: 'strict' });
      for (const ns of appNamespaces()) {
        for (const locale of LOCALES) emit(`${catalogFile(ns, locale)}?lingui`, `${ns}-${locale}`);
        emit(`${catalogFile(ns, SOURCE_LOCALE)}?lingui&pseudo`, `${ns}-${PSEUDO_LOCALE}`);
      }
      for (const locale of LOCALES) emit(`${catalogFile('core', locale)}?lingui&${LATER}`, `${LATER}-${locale}`);
      emit(`${catalogFile('core', SOURCE_LOCALE)}?lingui&pseudo&${LATER}`, `${LATER}-${PSEUDO_LOCALE}`);
    },
    load(id) {
      const [file = '', query = ''] = id.split('?');
      if (file === LOADER && textsDir !== null) {
        return [
          `export function loadCatalog(namespace, locale) {`,
          `  return import(/* @vite-ignore */ \`/${textsDir}/\${namespace}-\${locale}.js\`).then((m) => m.messages);`,
          `}`,
        ].join('\n');
      }
      const flags = query.split('&').map((f) => f.split('=')[0]);
      if (!file.endsWith('.json') || !flags.includes('lingui')) return null;
      const namespace = basename(dirname(file));
      const locale = flags.includes('pseudo') ? PSEUDO_LOCALE : basename(file, '.json');
      this.addWatchFile(file);
      this.addWatchFile(catalogFile(namespace, 'en'));
      const code = (json: string) => ({ code: `export const messages = JSON.parse(${json});`, moduleType: 'js' as const });
      if (flags.includes(LATER)) {
        // Every first namespace's rest, in one chunk per language (asked for on core's file).
        if (!building) return code(JSON.stringify('{}'));
        for (const ns of START_NAMESPACES) firstCatalog(this, ns, locale);
        return code(slot('later', namespace, locale));
      }
      if (building && (START_NAMESPACES as readonly string[]).includes(namespace)) {
        firstCatalog(this, namespace, locale);
        return code(slot('first', namespace, locale));
      }
      return code(JSON.stringify(JSON.stringify(compiled(this, namespace, locale))));
    },
    /** The ids the first screen names: in the code of every module the entries import, not lazily. */
    buildEnd() {
      if (!building) return;
      const ids = new Set<string>();
      const seen = new Set<string>();
      const queue = [...this.getModuleIds()].filter((id) => this.getModuleInfo(id)?.isEntry && !id.includes('?lingui'));
      const shortNames = new Set(short.values());
      while (queue.length > 0) {
        const id = queue.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        const info = this.getModuleInfo(id);
        if (!info) continue;
        const text = info.code ?? '';
        for (const m of text.matchAll(SHORT_LITERAL)) if (shortNames.has(m[2]!)) ids.add(m[2]!);
        for (const m of text.matchAll(LITERAL)) ids.add(short.get(m[2]!) ?? m[2]!);
        for (const prefix of built) if (text.includes(prefix)) ids.add(`${prefix}*`);
        queue.push(...info.importedIds);
      }
      firstIds = ids;
    },
    renderChunk(code) {
      if (!code.includes('switchboard-texts:')) return null;
      const first = firstIds;
      if (first === null) this.error('the first screen\'s texts are not known yet');
      const named = (id: string) => first.has(id) || [...built].some((prefix) => id.startsWith(prefix) && first.has(`${prefix}*`));
      const out = code.replace(SLOT, (_whole, _quote: string, part: string, namespace: string, locale: string) => {
        const pick = (ns: string) => Object.entries(firstCatalogs.get(`${ns}:${locale}`) ?? {}).filter(([id]) => named(id) === (part === 'first'));
        const entries = part === 'first' ? pick(namespace) : START_NAMESPACES.flatMap(pick);
        return JSON.stringify(JSON.stringify(Object.fromEntries(entries)));
      });
      return { code: out, map: null };
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
        chunks[query.includes(LATER) ? LATER : basename(dirname(file))] = chunk.fileName;
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

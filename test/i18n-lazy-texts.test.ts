/**
 * In a build, the texts of `core` and `feed` that the first screen does not name are a namespace of
 * their own (`later`), loaded with the first lazy part: every lazy import of the app's code must load
 * them too (lib/lazy.ts: lazyRetry or withTexts), or a dialog could show an id for a text. Those that
 * show no text are listed here, each with why.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
/** file → what it may import lazily without the texts, and why. */
const WITHOUT_TEXTS: Record<string, Record<string, string>> = {
  'app/App.tsx': { '../features/push/api.ts': "re-syncs this device's push subscription in the background; a failure is dropped, never shown" },
  'main.tsx': { './features/push/api.ts': "tells the server this device's push language; a failure is dropped, never shown" },
  'features/settings/LanguageField.tsx': { '../push/api.ts': 'the same, after a change of language; a failure is dropped, never shown' },
  'features/passkeys/ceremony.ts': { '@simplewebauthn/browser': 'a library: it names none of our texts' },
};

function sources(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, into);
    else if (/\.tsx?$/.test(entry.name)) into.push(path);
  }
  return into;
}

/** Each `import('…')` of the code (not types, not comments), with the code just before it. */
function lazyImports(file: string): Array<{ target: string; before: string }> {
  const code = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/(?<!typeof )\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => ({ target: m[1]!, before: code.slice(Math.max(0, m.index - 120), m.index) }));
}

describe('lazy parts load the texts they may name', () => {
  const found = sources(SRC).flatMap((file) => lazyImports(file).map((i) => ({ ...i, file: relative(SRC, file) })));

  it('finds the lazy imports (the check below is not vacuous)', () => {
    expect(found.length).toBeGreaterThan(25);
    expect(found.some((i) => i.target === './PressableAction.tsx')).toBe(true);
  });

  it('every lazy import of the app’s code loads `later` with it, or is listed with why it shows no text', () => {
    const missing = found
      .filter(({ file, target }) => !(target.startsWith('../locales') || WITHOUT_TEXTS[file]?.[target]))
      .filter(({ before }) => !/\b(lazyRetry|withTexts)\(\s*\(\)\s*=>\s*$/.test(before))
      .map(({ file, target }) => `${file}: import('${target}')`);
    expect(missing).toEqual([]);
  });

  it('every exception listed is still there (a stale one would excuse a new import)', () => {
    for (const [file, targets] of Object.entries(WITHOUT_TEXTS)) {
      for (const target of Object.keys(targets)) expect(found.some((i) => i.file === file && i.target === target), `${file} → ${target}`).toBe(true);
    }
  });
});

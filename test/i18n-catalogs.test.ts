/** The translation catalogs: every language has every text, valid ICU, the same arguments, and all its plural forms. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../contract/locales.ts';
import { compileAll, compileCatalog, pseudoText } from '../server/i18n/catalogs.ts';
import { tempDir } from './helpers.ts';

describe('translation catalogs', () => {
  it('compile in every language without a problem', () => {
    const all = compileAll();
    expect(Object.keys(all).sort()).toEqual([...LOCALES].sort());
    const english = Object.keys(all.en!).length;
    expect(english).toBeGreaterThan(0);
    for (const locale of LOCALES) expect(Object.keys(all[locale]!), locale).toHaveLength(english);
  });

  it('names a missing text, an extra one, a foreign argument, bad syntax and a missing plural form', () => {
    // In a folder of its own: the real catalogs are read by other test files at the same time.
    const dir = tempDir();
    const PROBE = join(dir, 'zz-probe');
    mkdirSync(PROBE, { recursive: true });
    writeFileSync(join(PROBE, 'en.json'), JSON.stringify({ a: 'Hello {name}', b: '{n, plural, one {# event} other {# events}}', c: 'Fine' }));
    writeFileSync(join(PROBE, 'pl.json'), JSON.stringify({ a: 'Cześć {imie}', b: '{n, plural, one {# zdarzenie} other {# zdarzeń}}', c: '{broken', d: 'extra' }));
    const { problems } = compileCatalog('zz-probe', 'pl', dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        'a: {imie} is not an argument of the en message',
        'b: {n} has no "few" form',
        'b: {n} has no "many" form',
        expect.stringMatching(/^c: /),
        'd: not in en.json',
      ]),
    );
  });

  it('makes the pseudo-locale accented and about 30% longer, leaving arguments alone', () => {
    expect(pseudoText('Sign in')).toBe('Šíĝñ íñ~~~');
    expect(pseudoText(' · ')).toBe(' · ');
    const { messages } = compileCatalog('core', 'en-XA');
    expect(JSON.stringify(messages)).not.toMatch(/"just now"/);
  });
});

/** index.html's Link header names the first texts in the browser's language (server/http/localePreload.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptedLanguages, localePreloads } from '../server/http/localePreload.ts';
import { tempDir } from './helpers.ts';

describe('locale preloads', () => {
  it('reads Accept-Language by weight, then order, leaving out q=0 and *', () => {
    expect(acceptedLanguages('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toEqual(['fr-CH', 'fr', 'en', 'de']);
    expect(acceptedLanguages('en;q=0.1, pl')).toEqual(['pl', 'en']);
    expect(acceptedLanguages('de;q=0, ja')).toEqual(['ja']);
    expect(acceptedLanguages('en;q=abc')).toEqual([]);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });

  it('names the core and feed chunks of the language picked, never the pseudo-locale; English when none matches', () => {
    const dist = tempDir();
    const manifest = {
      de: { core: 'assets/locale-0123abcd/core-de.js', feed: 'assets/locale-0123abcd/feed-de.js', settings: 'assets/locale-0123abcd/settings-de.js' },
      en: { core: 'assets/locale-0123abcd/core-en.js', feed: 'assets/locale-0123abcd/feed-en.js' },
      'en-XA': { core: 'assets/locale-0123abcd/core-en-XA.js', feed: 'assets/locale-0123abcd/feed-en-XA.js' },
      'pt-BR': { core: 'assets/locale-0123abcd/core-pt-BR.js', feed: 'assets/locale-0123abcd/feed-pt-BR.js' },
      ja: { core: 'assets/locale-0123abcd/core-ja.js' },
    };
    writeFileSync(join(dist, 'locales.json'), JSON.stringify(manifest));
    const preload = localePreloads(dist);
    expect(preload('de-AT,de;q=0.9')).toBe('</assets/locale-0123abcd/core-de.js>; rel=modulepreload, </assets/locale-0123abcd/feed-de.js>; rel=modulepreload');
    expect(preload('pt-PT')).toContain('locale-0123abcd/core-pt-BR.js');
    expect(preload('sw')).toBe('</assets/locale-0123abcd/core-en.js>; rel=modulepreload, </assets/locale-0123abcd/feed-en.js>; rel=modulepreload');
    // A language whose chunks are not both there is not preloaded at all.
    expect(preload('ja')).toBeNull();
    expect(localePreloads(join(dist, 'nothing'))('de')).toBeNull();
  });
});

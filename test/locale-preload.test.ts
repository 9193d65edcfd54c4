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
      de: { core: 'assets/locale-core-de-AbC1.js', feed: 'assets/locale-feed-de-XyZ2.js', settings: 'assets/locale-settings-de-S.js' },
      en: { core: 'assets/locale-core-en-E1.js', feed: 'assets/locale-feed-en-E2.js' },
      'en-XA': { core: 'assets/locale-core-en-XA-P1.js', feed: 'assets/locale-feed-en-XA-P2.js' },
      'pt-BR': { core: 'assets/locale-core-pt-BR-B1.js', feed: 'assets/locale-feed-pt-BR-B2.js' },
      ja: { core: 'assets/locale-core-ja-J1.js' },
    };
    writeFileSync(join(dist, 'locales.json'), JSON.stringify(manifest));
    const preload = localePreloads(dist);
    expect(preload('de-AT,de;q=0.9')).toBe('</assets/locale-core-de-AbC1.js>; rel=modulepreload, </assets/locale-feed-de-XyZ2.js>; rel=modulepreload');
    expect(preload('pt-PT')).toContain('locale-core-pt-BR-B1.js');
    expect(preload('sw')).toBe('</assets/locale-core-en-E1.js>; rel=modulepreload, </assets/locale-feed-en-E2.js>; rel=modulepreload');
    // A language whose chunks are not both there is not preloaded at all.
    expect(preload('ja')).toBeNull();
    expect(localePreloads(join(dist, 'nothing'))('de')).toBeNull();
  });
});

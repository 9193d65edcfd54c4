/**
 * The message ids, typed from the English catalogs: `t('feed.nothing')` with a typo, or an id that no
 * catalog has, does not compile. A namespace is a folder of src/locales; its ids begin with its name.
 * `core` and `feed` load before the first render; `settings` and `pages` with the pages that use them;
 * `errors` (the server's error codes in words) with the first error the server sends. `later` is no
 * folder: in a build, the texts of `core` and `feed` the first screen does not name (vitePlugin.ts),
 * loaded with the first lazy part (lib/lazy.ts).
 */
import { START_NAMESPACES as START } from '../../contract/locales.ts';
import type core from '../locales/core/en.json';
import type errors from '../locales/errors/en.json';
import type feed from '../locales/feed/en.json';
import type pages from '../locales/pages/en.json';
import type settings from '../locales/settings/en.json';

export type Namespace = 'core' | 'feed' | 'settings' | 'pages' | 'errors' | 'later';

/** What the first screen needs: loaded before the first render. */
export const START_NAMESPACES: readonly Namespace[] = START;

export type MessageId = keyof typeof core | keyof typeof feed | keyof typeof settings | keyof typeof pages | keyof typeof errors;

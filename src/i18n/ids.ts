/**
 * The message ids, typed from the English catalogs: `t('feed.nothing')` with a typo, or an id that no
 * catalog has, does not compile. A namespace is a folder of src/locales; its ids begin with its name.
 * `core` and `feed` load before the first render; `settings` and `pages` with the pages that use them.
 */
import type core from '../locales/core/en.json';
import type feed from '../locales/feed/en.json';
import type pages from '../locales/pages/en.json';
import type settings from '../locales/settings/en.json';

export type Namespace = 'core' | 'feed' | 'settings' | 'pages';

/** What the first screen needs: loaded before the first render. */
export const START_NAMESPACES: readonly Namespace[] = ['core', 'feed'];

export type MessageId = keyof typeof core | keyof typeof feed | keyof typeof settings | keyof typeof pages;

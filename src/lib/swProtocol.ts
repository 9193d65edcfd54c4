/** Names the service worker and the page agree on (no DOM or worker APIs here: both import it). */
export const API_CACHE = 'sb-api-v1';
/** Set by the service worker on a cached copy: when the server gave it. */
export const CACHED_AT_HEADER = 'x-sb-cached-at';
/** Set by the service worker when it answered from its cache because the network failed. */
export const FROM_CACHE_HEADER = 'x-sb-from-cache';

/** Worker → page. */
export type WorkerMessage = { type: 'navigate'; url: string };
/**
 * Page → worker: a new version may take over; the session ended, so stop keeping and serving API
 * copies; the feed was seen, so the app badge goes back to 0; the app shows this language, so keep
 * all of its texts for offline use.
 */
export type PageMessage = { type: 'SKIP_WAITING' } | { type: 'signed-out' } | { type: 'feed-seen' } | { type: 'language'; locale: string };
/** The cache of the app's texts: the chosen language's chunks, kept for offline use. */
export const LOCALES_CACHE = 'sb-locales';
/** Written by the build: each language's text chunks, by namespace (server/i18n/vitePlugin.ts). */
export const LOCALES_MANIFEST = '/locales.json';
export type LocalesManifest = Record<string, Record<string, string>>;
/** The worker's own small state (the badge count), kept where a restarted worker finds it. */
export const STATE_CACHE = 'sb-state-v1';
export const BADGE_STATE_PATH = '/__sb/badge';
/** The cached answer that says whether, and until when, the offline copies may be shown. */
export const AUTH_STATUS_PATH = '/api/auth/status';

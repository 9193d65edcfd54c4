/** Names the service worker and the page agree on (no DOM or worker APIs here: both import it). */
export const API_CACHE = 'sb-api-v1';
/** Set by the service worker on a cached copy: when the server gave it. */
export const CACHED_AT_HEADER = 'x-sb-cached-at';
/** Set by the service worker when it answered from its cache because the network failed. */
export const FROM_CACHE_HEADER = 'x-sb-from-cache';

export type WorkerMessage = { type: 'navigate'; url: string };

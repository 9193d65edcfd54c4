/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell; keeps the feed pages it has seen so a reload without
 * network still shows them; shows pushes and routes a tap to the event. It never presses an action
 * and never queues anything to run later.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { ExpirationPlugin } from 'workbox-expiration';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import {
  ACK_ACTION,
  alreadyShown,
  badgeAfterPush,
  type NotificationData,
  notificationOptions,
  notificationTarget,
  type PushPayload,
  planNotificationClick,
} from '../contract/push.ts';
import { deviceName } from './lib/device.ts';
import type { AuthStatus } from '../contract/api.ts';
import {
  API_CACHE, AUTH_STATUS_PATH, BADGE_STATE_PATH, CACHED_AT_HEADER, FROM_CACHE_HEADER, LOCALES_CACHE, LOCALES_MANIFEST, type LocalesManifest, type PageMessage, STATE_CACHE, type WorkerMessage,
} from './lib/swProtocol.ts';

declare const self: ServiceWorkerGlobalScope;

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//, /^\/healthz/] }));
// A language's texts are not precached (a device downloads its own language only): kept as they load,
// under names that change with their content, so they open offline from then on.
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/assets/locale-'),
  new CacheFirst({ cacheName: LOCALES_CACHE, plugins: [new ExpirationPlugin({ maxEntries: 60, purgeOnQuotaError: true })] }),
);

/**
 * The app shows `locale`: every page's texts in it are fetched now (the build lists them), so Settings
 * or the sign-in page open offline too — in that language only.
 */
async function keepLanguage(locale: string): Promise<void> {
  const manifest = (await (await fetch(LOCALES_MANIFEST, { cache: 'no-cache' })).json()) as LocalesManifest;
  const chunks = Object.values(manifest[locale] ?? {}).map((file) => `/${file}`);
  const cache = await caches.open(LOCALES_CACHE);
  const missing = (await Promise.all(chunks.map(async (url) => ((await cache.match(url)) ? null : url)))).filter((u): u is string => u !== null);
  await cache.addAll(missing);
}

// --- Reading offline: the API's GETs for the feed, network first, the last good answer as fallback.
// The copies belong to one session: they are dropped when it ends (sign-out, a 401, a status without a
// user) and never shown after the session's expiry, so a signed-out device cannot read them.
// Each project's pages are kept under their own URLs (`/api/projects/<slug>/events…`), so one
// project's copy never answers for another's; the list of projects is kept too.
const CACHED_API = /^\/api\/((projects\/[a-z0-9-]+\/|all\/)?(events(\/[^/]+)?|categories)|projects|auth\/status)$/;
const MAX_CACHED = 80;
/** Set when the page says the session ended; until the server names a user again nothing is kept. */
let signedOut = false;

async function forgetCopies(): Promise<void> {
  signedOut = true;
  await caches.delete(API_CACHE);
}

self.addEventListener('message', (event) => {
  const type = (event.data as PageMessage | null)?.type;
  if (type === 'SKIP_WAITING') void self.skipWaiting();
  if (type === 'signed-out') event.waitUntil(Promise.all([forgetCopies(), setBadge(0)]));
  if (type === 'feed-seen') event.waitUntil(setBadge(0));
  if (type === 'language') event.waitUntil(keepLanguage((event.data as { locale: string }).locale).catch(() => undefined));
});

// --- The app badge: the notified events not yet seen, kept in a cache (the worker may be stopped between pushes).
type BadgeNavigator = WorkerNavigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };

async function readBadge(): Promise<number> {
  const stored = await (await caches.open(STATE_CACHE)).match(BADGE_STATE_PATH);
  return stored ? Number(await stored.text()) : 0;
}

async function setBadge(count: number): Promise<void> {
  await (await caches.open(STATE_CACHE)).put(BADGE_STATE_PATH, new Response(String(count)));
  const nav = self.navigator as BadgeNavigator;
  // Where the platform has no badge (or refuses it outside an installed app) the count is just kept.
  await (count > 0 ? nav.setAppBadge?.(count) : nav.clearAppBadge?.())?.catch(() => undefined);
}

/** A cached copy may be shown only while the cached status names a user whose session has not expired. */
async function sessionStillValid(cache: Cache): Promise<boolean> {
  if (signedOut) return false;
  const status = await cache.match(AUTH_STATUS_PATH);
  if (!status) return false;
  const body = (await status.json().catch(() => null)) as Pick<AuthStatus, 'user' | 'sessionExpiresAt'> | null;
  const expiresAt = body?.sessionExpiresAt ? Date.parse(body.sessionExpiresAt) : Number.NaN;
  return Boolean(body?.user) && expiresAt > Date.now();
}

/**
 * Whether this answer may be kept, and whether it says the session is gone. A 401 asking the person
 * to confirm who they are (`step_up_required`, before a guarded press) leaves the session standing.
 */
async function judge(request: Request, response: Response): Promise<'keep' | 'skip' | 'ended'> {
  if (response.status === 401) {
    const body = (await response.clone().json().catch(() => null)) as { error?: { code?: string } } | null;
    return body?.error?.code === 'step_up_required' ? 'skip' : 'ended';
  }
  if (!response.ok) return 'skip';
  if (new URL(request.url).pathname === AUTH_STATUS_PATH) {
    const body = (await response.clone().json().catch(() => null)) as Pick<AuthStatus, 'user'> | null;
    if (!body?.user) return 'ended';
    signedOut = false;
  }
  return signedOut ? 'skip' : 'keep';
}

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(API_CACHE);
  try {
    const response = await fetch(request);
    const verdict = await judge(request, response);
    if (verdict === 'ended') await forgetCopies();
    if (verdict === 'keep') {
      const headers = new Headers(response.headers);
      headers.set(CACHED_AT_HEADER, new Date().toISOString());
      await cache.put(request, new Response(await response.clone().blob(), { status: response.status, headers }));
      const keys = await cache.keys();
      const evictable = keys.filter((k) => new URL(k.url).pathname !== AUTH_STATUS_PATH);
      for (const old of evictable.slice(0, Math.max(0, keys.length - MAX_CACHED))) await cache.delete(old);
    }
    return response;
  } catch (err) {
    const cached = (await sessionStillValid(cache)) ? await cache.match(request) : undefined;
    if (!cached) throw err;
    const headers = new Headers(cached.headers);
    headers.set(FROM_CACHE_HEADER, '1');
    return new Response(cached.body, { status: cached.status, headers });
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !CACHED_API.test(url.pathname)) return;
  event.respondWith(networkFirst(event.request));
});

// --- Push.
const ICON = '/icon-192.png';

self.addEventListener('push', (event) => {
  let payload: PushPayload;
  try {
    payload = event.data?.json() as PushPayload;
  } catch {
    payload = { kind: 'event', id: 'unknown', title: 'Switchboard', body: event.data?.text() ?? '', timestamp: Date.now(), url: '/' };
  }
  event.waitUntil(
    (async () => {
      // A thread's new notification replaces its last one and counts on from it.
      const tag = payload.thread ? `thread:${payload.thread}` : payload.id;
      const earlier = payload.kind !== 'test' ? await self.registration.getNotifications({ tag }) : [];
      // The same event again (sent twice across an instance's stop): shown once, counted once.
      if (alreadyShown(payload, earlier[0])) return;
      const shown = earlier[0]?.data as Partial<NotificationData> | undefined;
      // A notice (an action ran, the event was handled) replaces the notification in place, keeping its count.
      const keep = payload.thread || payload.kind === 'notice';
      const { title, options } = notificationOptions(payload, ICON, keep ? (shown?.count ?? 0) : 0, keep ? (shown?.events ?? []) : []);
      await self.registration.showNotification(title, options);
      await setBadge(badgeAfterPush(await readBadge(), payload));
    })(),
  );
});

/**
 * `Acknowledge` on a notification (§12): POSTed with the person's session, same-origin, as the app
 * would (it runs nothing external: it is not a press). True when the server took it; the server then
 * replaces the notification on every device that got it ("Acknowledged by …").
 */
async function acknowledge(path: string): Promise<boolean> {
  try {
    const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{}' });
    // 409: someone acknowledged (or resolved) it first — it is taken care of either way.
    return res.ok || res.status === 409;
  } catch {
    return false; // offline
  }
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data as Partial<NotificationData> | null;
  // A button opens the event with that action's confirm step; nothing is pressed from here.
  const url = notificationTarget(data?.url ?? '/', event.action === ACK_ACTION ? null : event.action);
  event.waitUntil(
    (async () => {
      // Acknowledged from the notification, without opening the app; signed out or offline, the event opens instead.
      if (event.action === ACK_ACTION && data?.ack && (await acknowledge(data.ack))) return;
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const plan = planNotificationClick(url, windows.map((w) => w.url), self.location.origin);
      if (plan.action === 'open') {
        await self.clients.openWindow(plan.url);
        return;
      }
      const client = windows[plan.clientIndex]!;
      await client.focus();
      client.postMessage({ type: 'navigate', url: plan.url } satisfies WorkerMessage);
    })(),
  );
});

// The browser rotated the subscription: subscribe again and tell the server which one it replaces.
self.addEventListener('pushsubscriptionchange', (event) => {
  const change = event as PushSubscriptionChangeEvent;
  change.waitUntil(
    (async () => {
      const res = await fetch('/api/push/public-key', { credentials: 'same-origin' });
      if (!res.ok) return;
      const { publicKey } = (await res.json()) as { publicKey: string };
      const subscription = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey });
      const json = subscription.toJSON();
      await fetch('/api/push/subscriptions', {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          endpoint: json.endpoint,
          keys: json.keys,
          deviceName: deviceName(navigator.userAgent),
          oldEndpoint: change.oldSubscription?.endpoint,
        }),
      });
    })(),
  );
});

interface PushSubscriptionChangeEvent extends ExtendableEvent {
  readonly oldSubscription: PushSubscription | null;
  readonly newSubscription: PushSubscription | null;
}

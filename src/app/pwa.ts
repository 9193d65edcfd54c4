/** The page's side of the installed app: service worker updates, taps on notifications, the badge. */
import type { PageMessage, WorkerMessage } from '../lib/swProtocol.ts';
import { navigate } from '../lib/router.tsx';
import { createStore } from '../lib/store.ts';

/** Set when a new version is waiting; calling it activates the new version and reloads. */
export const pendingUpdate = createStore<(() => void) | null>(null);

export function startPwa(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event) => {
    const message = event.data as WorkerMessage | null;
    if (message?.type === 'navigate') navigate(new URL(message.url, location.origin).pathname);
  });
  const clearBadge = () => {
    if (document.visibilityState === 'visible') void (navigator as Navigator & { clearAppBadge?: () => Promise<void> }).clearAppBadge?.().catch(() => undefined);
  };
  document.addEventListener('visibilitychange', clearBadge);
  clearBadge();
  if (!import.meta.env.PROD) return;
  void registerWorker().catch(() => undefined);
}

/**
 * The service worker (the build's /sw.js), registered at once. A new version waits until the person
 * says so ("Update available — Reload"): then it takes over and the page reloads into it. The few
 * lines workbox-window would do here, without its 2 KB on every first screen.
 */
async function registerWorker(): Promise<void> {
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  const offer = (waiting: ServiceWorker) =>
    pendingUpdate.set(() => {
      // Another tab may have brought it in already: then this page only needs to load it.
      if (waiting.state === 'activating' || waiting.state === 'activated') return location.reload();
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      waiting.postMessage({ type: 'SKIP_WAITING' } satisfies PageMessage);
    });
  // Only an update waits for its turn (a page already controlled): the first install just starts.
  const watch = (installing: ServiceWorker | null) => {
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && navigator.serviceWorker.controller) offer(installing);
    });
  };
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  // Found before this page registered (the browser's own check): still installing now.
  else watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
}

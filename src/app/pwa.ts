/** The page's side of the installed app: service worker updates, taps on notifications, the badge. */
import type { WorkerMessage } from '../lib/swProtocol.ts';
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
  void import('virtual:pwa-register').then(({ registerSW }) => {
    const update = registerSW({
      immediate: true,
      onNeedRefresh: () => pendingUpdate.set(() => void update(true)),
    });
  });
}

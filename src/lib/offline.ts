/** Offline reading: the page's side (the service worker keeps the copies). */
import { createStore } from './store.ts';
import { CACHED_AT_HEADER, FROM_CACHE_HEADER } from './swProtocol.ts';

export interface OfflineState {
  offline: boolean;
  /** When the data on screen was last fresh from the server (null when unknown). */
  asOf: string | null;
}

export const offlineState = createStore<OfflineState>({ offline: false, asOf: null });

/** Every API answer passes through here: one from the cache means the network is gone. */
export function observeResponse(response: Response): void {
  if (response.headers.get(FROM_CACHE_HEADER)) {
    offlineState.set({ offline: true, asOf: response.headers.get(CACHED_AT_HEADER) });
  } else if (offlineState.get().offline && navigator.onLine) {
    offlineState.set({ offline: false, asOf: null });
  }
}

export function watchConnectivity(): void {
  window.addEventListener('offline', () => offlineState.set({ offline: true, asOf: offlineState.get().asOf }));
  window.addEventListener('online', () => offlineState.set({ offline: false, asOf: null }));
  if (!navigator.onLine) offlineState.set({ offline: true, asOf: null });
}

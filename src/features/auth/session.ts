/**
 * The end of a session on this device: what it forgets, and a sign-out that still reaches the server
 * when it was pressed offline (it is sent the next time the server can be reached, before any sign-in).
 */
import type { AuthStatus } from '../../../contract/api.ts';
import { ApiFailure, api } from '../../lib/api.ts';
import { API_CACHE, type PageMessage } from '../../lib/swProtocol.ts';
import { forgetLastUser } from '../projects/landing.ts';

const PENDING_SIGN_OUT = 'switchboard.pendingSignOut';

/** The status the app shows while a sign-out waits for the network: nobody is signed in here. */
export const SIGNED_OUT: AuthStatus = { setupRequired: false, user: null, sessionExpiresAt: null, remoteImages: 'load', webhookTimeoutMs: 10_000 };

/** Drops the offline copies and tells the service worker to stop keeping and serving them. */
export async function forgetSession(): Promise<void> {
  forgetLastUser();
  navigator.serviceWorker?.controller?.postMessage({ type: 'signed-out' } satisfies PageMessage);
  if ('caches' in window) await caches.delete(API_CACHE);
}

export const signOutPending = (): boolean => localStorage.getItem(PENDING_SIGN_OUT) !== null;

/** Ends the session on the server; offline, remembers to. Any answer from the server settles it. */
export async function sendSignOut(): Promise<void> {
  try {
    await api<void>('/api/auth/sign-out', { method: 'POST' });
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 0) {
      localStorage.setItem(PENDING_SIGN_OUT, new Date().toISOString());
      return;
    }
  }
  localStorage.removeItem(PENDING_SIGN_OUT);
}

/** Sends a sign-out pressed offline; true when none is left waiting. */
export async function flushPendingSignOut(): Promise<boolean> {
  if (!signOutPending()) return true;
  await sendSignOut();
  return !signOutPending();
}

/** Sends a waiting sign-out as soon as the browser is back online. */
export function watchPendingSignOut(): void {
  window.addEventListener('online', () => void flushPendingSignOut());
}

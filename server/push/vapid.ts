/**
 * VAPID keys: made once, on the first start, and kept in the store (the data directory), so every
 * subscription made by a browser keeps working across restarts. The PWA reads the public key at run
 * time, so nothing is baked into the build.
 */
import webPush from 'web-push';
import type { AppStore } from '../store/types.ts';

export interface VapidKeys {
  /** base64url, uncompressed P-256 point: the PWA's `applicationServerKey`. */
  publicKey: string;
  privateKey: string;
  subject: string;
}

const SETTING = 'vapid_keys';

/** Reads the installation's keys, making them on first use. Safe to call more than once. */
export async function loadVapidKeys(store: AppStore, subject: string): Promise<VapidKeys> {
  // Two instances starting at once agree on one pair: the first stored wins.
  const stored = (await store.settings.get(SETTING)) ?? (await store.settings.setIfAbsent(SETTING, JSON.stringify(webPush.generateVAPIDKeys())));
  const keys = JSON.parse(stored) as { publicKey: string; privateKey: string };
  return { publicKey: keys.publicKey, privateKey: keys.privateKey, subject };
}

/** A startup warning when the subject is one that some push services refuse, else null. */
export function vapidSubjectWarning(subject: string): string | null {
  if (!/@localhost$|^https:\/\/localhost\b/i.test(subject)) return null;
  return `VAPID_SUBJECT is ${subject}: Apple's push service refuses it (403 BadJwtToken), so Safari and iOS devices get no notifications. Set VAPID_SUBJECT to a real mailto: address or https: URL.`;
}

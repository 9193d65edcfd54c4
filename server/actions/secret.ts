/** The installation's webhook signing secret (Standard Webhooks `whsec_…`), kept in the data dir's store. */
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/index.ts';

const SETTING = 'webhook_secret';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export function webhookSecret(store: Store): string {
  const current = store.settings.get(SETTING);
  if (current) return current;
  const secret = newSecret();
  store.settings.set(SETTING, secret);
  return secret;
}

export function rotateWebhookSecret(store: Store): string {
  const secret = newSecret();
  store.settings.set(SETTING, secret);
  return secret;
}

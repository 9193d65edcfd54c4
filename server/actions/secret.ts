/** The installation's webhook signing secret (Standard Webhooks `whsec_…`), kept in the data dir's store. */
import { randomBytes } from 'node:crypto';
import type { StoreRepositories } from '../store/appStore.ts';

const SETTING = 'webhook_secret';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export async function webhookSecret(store: Pick<StoreRepositories, 'settings'>): Promise<string> {
  const current = await store.settings.get(SETTING);
  if (current) return current;
  // Two instances making it at once agree on one: the first stored wins.
  return store.settings.setIfAbsent(SETTING, newSecret());
}

export async function rotateWebhookSecret(store: Pick<StoreRepositories, 'settings'>): Promise<string> {
  const secret = newSecret();
  await store.settings.set(SETTING, secret);
  return secret;
}

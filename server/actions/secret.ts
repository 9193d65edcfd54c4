/** A project's webhook signing secret (Standard Webhooks `whsec_…`), made when first asked for. */
import { randomBytes } from 'node:crypto';
import type { StoreRepositories } from '../store/types.ts';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export async function webhookSecret(store: Pick<StoreRepositories, 'projects'>, projectId: number): Promise<string> {
  const current = await store.projects.webhookSecret(projectId);
  if (current) return current;
  // Two instances making it at once agree on one: the first stored wins.
  return store.projects.setWebhookSecretIfAbsent(projectId, newSecret());
}

export async function rotateWebhookSecret(store: Pick<StoreRepositories, 'projects'>, projectId: number): Promise<string> {
  const secret = newSecret();
  await store.projects.setWebhookSecret(projectId, secret);
  return secret;
}

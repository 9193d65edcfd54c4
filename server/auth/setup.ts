/**
 * The one-time setup link: exists only while the installation has no user; opening it creates the
 * owner. The token is kept (like the webhook secret, in the 0600 store) until it is used, so every
 * start — a restart, a second instance — prints the same link, and a link printed earlier keeps working.
 */
import type { StoreRepositories } from '../store/types.ts';

type Repos = Pick<StoreRepositories, 'settings' | 'users'>;
import { newSecret, sameSecret } from './tokens.ts';

const SETTING = 'setup_token';
/** Before 0.5 only a hash was kept and each start made a new token: dropped on the next start. */
const OLD_SETTING = 'setup_token_hash';

/** The setup token while no user exists (made on first call, then the same one), otherwise null. */
export async function issueSetupToken(store: Repos): Promise<string | null> {
  await store.settings.remove(OLD_SETTING);
  if ((await store.users.count()) > 0) {
    await store.settings.remove(SETTING);
    return null;
  }
  // Instances starting together print the same link: the first token stored wins.
  return (await store.settings.get(SETTING)) ?? (await store.settings.setIfAbsent(SETTING, newSecret()));
}

export async function setupPending(store: Repos): Promise<boolean> {
  return (await store.users.count()) === 0 && (await store.settings.get(SETTING)) !== null;
}

/** Whether `token` is the pending setup token (no change; the consuming check follows in a transaction). */
export async function setupTokenMatches(store: Repos, token: string): Promise<boolean> {
  const stored = await store.settings.get(SETTING);
  return stored !== null && sameSecret(token, stored) && (await store.users.count()) === 0;
}

/** Checks and consumes the token. Call inside the transaction that creates the owner. */
export async function consumeSetupToken(store: Repos, token: string): Promise<boolean> {
  const stored = await store.settings.get(SETTING);
  if (stored === null || (await store.users.count()) > 0) return false;
  if (!sameSecret(token, stored)) return false;
  // Only the one that removes it may use it: on PostgreSQL a second instance consuming the same link
  // at the same moment waits for this delete and then finds nothing to remove.
  return store.settings.remove(SETTING);
}

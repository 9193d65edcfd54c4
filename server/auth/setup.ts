/** The one-time setup link: exists only while the installation has no user; opening it creates the owner. */
import type { Store } from '../store/index.ts';
import { newSecret, sha256 } from './tokens.ts';

const SETTING = 'setup_token_hash';

/** A new setup token when no user exists yet (replacing any earlier one), otherwise null. */
export function issueSetupToken(store: Store): string | null {
  if (store.users.count() > 0) {
    store.settings.remove(SETTING);
    return null;
  }
  const token = newSecret();
  store.settings.set(SETTING, sha256(token));
  return token;
}

export function setupPending(store: Store): boolean {
  return store.users.count() === 0 && store.settings.get(SETTING) !== null;
}

/** Checks and consumes the token. Call inside the transaction that creates the owner. */
export function consumeSetupToken(store: Store, token: string): boolean {
  const stored = store.settings.get(SETTING);
  if (stored === null || store.users.count() > 0 || stored !== sha256(token)) return false;
  store.settings.remove(SETTING);
  return true;
}

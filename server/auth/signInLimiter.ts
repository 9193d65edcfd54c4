/**
 * Sign-in throttling that cannot be turned against the person it protects. Only failed attempts
 * count, and they count against the address they came from:
 * - per address (any email): an address that keeps failing is slowed down;
 * - per (email, address): guessing one account from one place is slowed down sooner;
 * - per email, across addresses: once an account has seen many failures, addresses that have
 *   failed lately are refused for it, but an address with no failures still gets its attempt, so
 *   the owner's correct password from their own device always goes through.
 * Every check happens before the password is verified, so the answer (429 or not) says nothing
 * about whether the password was right.
 */
import { type RateDecision, rateLimiter } from '../http/rateLimiter.ts';

export const SIGN_IN_LIMITS = {
  perAddress: { burst: 30, perMinute: 2 },
  perEmailAndAddress: { burst: 10, perMinute: 1 },
  perEmail: { burst: 50, perMinute: 1 },
} as const;

export function signInLimiter(now: () => number) {
  const byAddress = rateLimiter(SIGN_IN_LIMITS.perAddress, now);
  const byPair = rateLimiter(SIGN_IN_LIMITS.perEmailAndAddress, now);
  const byEmail = rateLimiter(SIGN_IN_LIMITS.perEmail, now);
  const pair = (email: string, address: string) => `${email}\u0000${address}`;

  return {
    /** May this address try this email now? */
    check(email: string, address: string): RateDecision {
      const own = [byAddress.check(address), byPair.check(pair(email, address))].find((d) => !d.ok);
      if (own) return own;
      const account = byEmail.check(email);
      if (!account.ok && byAddress.used(address)) return account;
      return { ok: true, retryAfterSeconds: 0 };
    },
    /** A wrong password (or an unknown email) from this address. */
    failed(email: string, address: string): void {
      byAddress.take(address);
      byPair.take(pair(email, address));
      byEmail.take(email);
    },
  };
}

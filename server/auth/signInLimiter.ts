/**
 * Sign-in throttling that cannot be turned against the person it protects. Only failed attempts
 * count, and they count against the address they came from:
 * - per address (any email): an address that keeps failing is slowed down;
 * - per (email, address): guessing one account from one place is slowed down sooner;
 * - per email, across addresses: once an account has seen many failures, addresses that have
 *   failed lately are refused for it, but an address with no failures still gets its attempt, so
 *   the owner's correct password from their own device always goes through.
 * Every check happens before the password is verified, so the answer (429 or not) says nothing
 * about whether the password was right. The buckets are the store's: with several instances, the
 * failures count across all of them.
 */
import { ApiError } from '../http/errors.ts';
import { type RateDecision, rateLimiter } from '../http/rateLimiter.ts';
import type { BucketStore } from '../store/types.ts';

/** Throws the 429 of a refused decision (with Retry-After). */
export function refuseIfLimited(decision: RateDecision, what = 'too many failed attempts; wait and try again'): void {
  if (decision.ok) return;
  throw new ApiError(429, 'rate_limited', what, null, { 'retry-after': String(decision.retryAfterSeconds) });
}

export const SIGN_IN_LIMITS = {
  perAddress: { burst: 30, perMinute: 2 },
  perEmailAndAddress: { burst: 10, perMinute: 1 },
  perEmail: { burst: 50, perMinute: 1 },
  /** Passkey sign-in challenges handed out (each is a stored row for minutes), failed or not. */
  challengesPerAddress: { burst: 30, perMinute: 10 },
} as const;

export function signInLimiter(buckets: BucketStore, now: () => number) {
  const byAddress = rateLimiter(SIGN_IN_LIMITS.perAddress, buckets, now);
  const byPair = rateLimiter(SIGN_IN_LIMITS.perEmailAndAddress, buckets, now);
  const byEmail = rateLimiter(SIGN_IN_LIMITS.perEmail, buckets, now);
  const challenges = rateLimiter(SIGN_IN_LIMITS.challengesPerAddress, buckets, now);
  // JSON: no separator can be forged, and control characters (a NUL in a typed email) are escaped.
  const address = (a: string) => `sign-in:address:${JSON.stringify(a)}`;
  const pair = (email: string, a: string) => `sign-in:pair:${JSON.stringify([email, a])}`;
  const account = (email: string) => `sign-in:email:${JSON.stringify(email)}`;
  const challengeFrom = (a: string) => `sign-in:challenge:${JSON.stringify(a)}`;

  return {
    /** May this address try this email now? */
    async check(email: string, from: string): Promise<RateDecision> {
      const own = [await byAddress.check(address(from)), await byPair.check(pair(email, from))].find((d) => !d.ok);
      if (own) return own;
      const forAccount = await byEmail.check(account(email));
      if (!forAccount.ok && (await byAddress.used(address(from)))) return forAccount;
      return { ok: true, retryAfterSeconds: 0 };
    },
    /**
     * The routes that take a token instead of a password (setup, invite lookup and acceptance,
     * password reset): may this address try now? Only its own failures count.
     */
    checkAddress: (from: string): Promise<RateDecision> => byAddress.check(address(from)),
    /**
     * A passkey sign-in challenge for this address, if it may have one now: anyone may ask, so the
     * stored challenges are bounded by what each address may take, failed or not.
     */
    challenge: (from: string): Promise<RateDecision> => challenges.take(challengeFrom(from)),
    /** A token that was not valid, from this address. */
    failedAddress: async (from: string): Promise<void> => void (await byAddress.take(address(from))),
    /** A wrong password (or an unknown email) from this address. */
    async failed(email: string, from: string): Promise<void> {
      await byAddress.take(address(from));
      await byPair.take(pair(email, from));
      await byEmail.take(account(email));
    },
  };
}

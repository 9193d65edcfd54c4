/** Sign-in sessions: a random token in an HttpOnly SameSite cookie, stored as its hash. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Me } from '../../contract/api.ts';
import { isLocale } from '../../contract/locales.ts';
import { ApiError } from '../http/errors.ts';
import type { AppStore } from '../store/types.ts';
import { newSecret, sha256 } from './tokens.ts';

export const SESSION_COOKIE = 'sb_session';
const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A session's expiry slides forward at most this often (one write an hour, not one per request). */
const TOUCH_EVERY_MS = 60 * 60 * 1000;
/**
 * Sessions one person keeps at most: signing in once more ends their oldest (a script that signs in
 * in a loop cannot fill the table, and a person is never refused a sign-in for it).
 */
export const MAX_SESSIONS_PER_USER = 50;

/** The signed-in person of a request, with the session it came with (never sent to a client as is). */
export interface SessionUser extends Me {
  /** SHA-256 of the session token: names the session without being a credential. */
  sessionHash: string;
  expiresAt: number;
  /** When this session's person last proved who they are (sign-in, step-up): the policy's step-up window. */
  provenAt: number;
  /** The client's address as the server sees it (after the TRUST_PROXY rule): audit entries carry it. */
  address: string;
}

/** Only what the contract's `Me` has: a SessionUser must never reach a client with its session fields. */
export const publicMe = (user: Omit<Me, 'locale'> & { locale?: Me['locale'] }): Me => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  locale: user.locale ?? null,
});

export interface SessionOptions {
  /**
   * OIDC_ONLY: people sign in through the single sign-on provider named here; a password (or a
   * passkey, a reset link, a new account from an invite) gives a session to owners alone.
   */
  ssoOnly?: { name: string } | null;
}

export function sessionAuth(store: AppStore, now: () => number, secureCookies: boolean, { ssoOnly = null }: SessionOptions = {}) {
  // Set and cleared with the same attributes (a browser keys a cookie on its name, domain and path).
  const attributes = { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies } as const;
  /**
   * The request's session token, from the Cookie header @fastify/cookie parsed (its first
   * `sb_session`). A malformed %-escape is left as it came: it names no session, so the request is
   * signed out, never a 500.
   */
  const tokenOf = (request: FastifyRequest): string | null => request.cookies[SESSION_COOKIE] || null;

  // Read once per request, before any handler runs (the access guard calls load()); handlers then
  // ask userFor() without waiting.
  const seen = new WeakMap<FastifyRequest, SessionUser | null>();

  async function lookup(request: FastifyRequest): Promise<SessionUser | null> {
    const token = tokenOf(request);
    if (!token) return null;
    const hash = sha256(token);
    const t = now();
    const session = await store.sessions.find(hash, t);
    if (!session) return null;
    let expiresAt = session.expires_at;
    if (t - session.last_seen_at > TOUCH_EVERY_MS) {
      expiresAt = t + SESSION_TTL_MS;
      await store.sessions.touch(hash, t, expiresAt);
    }
    return { id: session.user_id, email: session.email, name: session.name, role: session.role, locale: isLocale(session.locale) ? session.locale : null, sessionHash: hash, expiresAt, provenAt: session.proven_at, address: request.ip };
  }

  /** The request's signed-in person, as load() found it (null before load, or without a session). */
  function userFor(request: FastifyRequest): SessionUser | null {
    return seen.get(request) ?? null;
  }

  return {
    /** Reads the request's session (once); the access guard calls it for every request. */
    async load(request: FastifyRequest): Promise<SessionUser | null> {
      if (seen.has(request)) return seen.get(request) ?? null;
      const user = await lookup(request);
      seen.set(request, user);
      return user;
    },
    userFor,
    requireUser(request: FastifyRequest): SessionUser {
      const user = userFor(request);
      if (!user) throw new ApiError(401, 'unauthenticated', 'sign in first');
      return user;
    },
    /** Whether a password sign-in (or any other way in than the provider) is for owners alone (OIDC_ONLY). */
    ssoOnly: ssoOnly !== null,
    /**
     * With OIDC_ONLY, refuses anyone but an owner a session made any other way than through the provider:
     * 403 `sso_only`. Call it once the credential has been checked, so the answer tells nothing to whoever
     * does not hold it.
     */
    refuseUnlessOwner(user: Pick<Me, 'role'>): void {
      if (ssoOnly && user.role !== 'owner') {
        throw new ApiError(403, 'sso_only', `people sign in here with ${ssoOnly.name}: use "Sign in with ${ssoOnly.name}" (a password is for owners only)`);
      }
    },
    async issue(reply: FastifyReply, userId: string): Promise<void> {
      const token = newSecret();
      const t = now();
      const hash = sha256(token);
      await store.sessions.create(hash, userId, t, t + SESSION_TTL_MS);
      await store.sessions.trim(userId, hash, MAX_SESSIONS_PER_USER);
      reply.setCookie(SESSION_COOKIE, token, { ...attributes, maxAge: SESSION_TTL_MS / 1000 });
    },
    async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const token = tokenOf(request);
      if (token) await store.sessions.remove(sha256(token));
      reply.clearCookie(SESSION_COOKIE, attributes);
    },
  };
}

export type SessionAuth = ReturnType<typeof sessionAuth>;

/** Sign-in sessions: a random token in an HttpOnly SameSite cookie, stored as its hash. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Me } from '../../contract/api.ts';
import { ApiError } from '../http/errors.ts';
import type { Store } from '../store/index.ts';
import { newSecret, sha256 } from './tokens.ts';

export const SESSION_COOKIE = 'sb_session';
const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A session's expiry slides forward at most this often (one write an hour, not one per request). */
const TOUCH_EVERY_MS = 60 * 60 * 1000;

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A malformed %-escape is the client's problem: no session, not a 500.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function sessionAuth(store: Store, now: () => number, secureCookies: boolean) {
  const cookie = (value: string, maxAgeSeconds: number) =>
    [
      `${SESSION_COOKIE}=${value}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Lax',
      `Max-Age=${maxAgeSeconds}`,
      ...(secureCookies ? ['Secure'] : []),
    ].join('; ');

  function userFor(request: FastifyRequest): Me | null {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!token) return null;
    const hash = sha256(token);
    const t = now();
    const session = store.sessions.find(hash, t);
    if (!session) return null;
    if (t - session.last_seen_at > TOUCH_EVERY_MS) store.sessions.touch(hash, t, t + SESSION_TTL_MS);
    return { id: session.user_id, email: session.email };
  }

  return {
    userFor,
    requireUser(request: FastifyRequest): Me {
      const user = userFor(request);
      if (!user) throw new ApiError(401, 'unauthenticated', 'sign in first');
      return user;
    },
    issue(reply: FastifyReply, userId: string): void {
      const token = newSecret();
      const t = now();
      store.sessions.create(sha256(token), userId, t, t + SESSION_TTL_MS);
      reply.header('set-cookie', cookie(token, SESSION_TTL_MS / 1000));
    },
    end(request: FastifyRequest, reply: FastifyReply): void {
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (token) store.sessions.remove(sha256(token));
      reply.header('set-cookie', cookie('', 0));
    },
  };
}

export type SessionAuth = ReturnType<typeof sessionAuth>;

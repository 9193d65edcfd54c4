/**
 * Single sign-on's two routes, both browser navigations:
 *
 * - `GET /api/auth/oidc/start[?returnTo=/p/ops]`: a new sign-in — state, nonce and PKCE verifier
 *   stored server-side, found again by the hash of a random token in the `sb_oidc` cookie (HttpOnly,
 *   SameSite=Lax, path /api/auth/oidc, 10 minutes) — and a 302 to the provider.
 * - `GET /api/auth/oidc/callback`: the provider's redirect back. The cookie's sign-in is taken (once:
 *   deleted as it is read, and the cookie cleared, whatever follows), the response checked and the code
 *   exchanged (./client.ts), the person found or made (./account.ts), the session issued, and a 302
 *   to the page they started from (`/` by default). Anything else: the refused page (./page.ts).
 *
 * Why SameSite=Lax and not Strict: the callback arrives as a top-level GET navigation that the
 * provider's site starts (a redirect from its pages): a browser sends Lax cookies with it and Strict
 * ones not, so with Strict every sign-in would fail as "expired". Lax still keeps the cookie out of
 * cross-site subrequests and POSTs. The state in the cookie's stored sign-in, compared with the
 * response's, is what ties the callback to the browser that started it (no login CSRF).
 *
 * Both routes are registered whether or not single sign-on is set up (the route table stays one):
 * without OIDC_ISSUER they answer 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isAppPage } from '../../../contract/appPages.ts';
import { doc, PUBLIC } from '../../http/access.ts';
import type { AppStore } from '../../store/types.ts';
import type { SessionAuth } from '../session.ts';
import type { signInLimiter } from '../signInLimiter.ts';
import { newSecret, sha256 } from '../tokens.ts';
import { signInThroughProvider } from './account.ts';
import { OidcFailure, oidcClient } from './client.ts';
import { CALLBACK_PATH, type OidcConfig, START_PATH } from './config.ts';
import { type Refusal, refuse } from './page.ts';

export const LOGIN_COOKIE = 'sb_oidc';
/** How long a sign-in may take at the provider. */
export const LOGIN_TTL_MS = 10 * 60_000;

export interface OidcRoutesOptions {
  store: AppStore;
  auth: SessionAuth;
  now: () => number;
  settings: OidcConfig | null;
  limiter: ReturnType<typeof signInLimiter>;
  secureCookies: boolean;
}

const startQuery = z.object({
  returnTo: z.string({ error: 'must be a path of this app' }).max(2000, { error: 'must be at most 2000 characters' }).optional(),
});

/** The authorization response (RFC 6749 §4.1.2, RFC 9207's `iss`); other parameters a provider adds are ignored. */
const callbackQuery = z.looseObject({
  code: z.string().optional(),
  state: z.string().optional(),
  iss: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/** A page of this app to land on: a same-origin path the app shows (never another host, never the API). */
export function safeReturnTo(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (!raw.startsWith('/') || raw.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(raw)) return null;
  const base = 'http://switchboard.invalid';
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return null;
  }
  if (url.origin !== base || !isAppPage(url.pathname)) return null;
  return url.pathname + url.search;
}

const NOT_SET_UP: Refusal = { status: 404, code: 'not_found', title: 'Single sign-on is not set up', message: 'This Switchboard has no single sign-on: sign in with your email and password.' };
const EXPIRED: Refusal = {
  status: 400,
  code: 'sign_in_expired',
  title: 'This sign-in has expired',
  message: 'This sign-in was started more than 10 minutes ago, was used already, or was started in another browser, so you are not signed in. Start again from the sign-in page.',
  field: 'state',
};

function failed(f: OidcFailure): Refusal {
  if (f.kind === 'unreachable') return { status: 502, code: 'provider_unreachable', title: 'The sign-in provider cannot be reached', message: `${f.message}: you are not signed in. Try again in a moment.` };
  if (f.kind === 'provider_refused') return { status: 403, code: 'provider_refused', title: 'Not signed in', message: `${capital(f.message)}. Start again from the sign-in page if you meant to sign in.` };
  return { status: 400, code: 'invalid_sign_in', title: 'Not signed in', message: `${capital(f.message)}, so you are not signed in. Start again from the sign-in page.` };
}
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The request's query string as it came (`code=…&state=…&iss=…`). */
const rawQuery = (request: FastifyRequest): string => {
  const at = request.url.indexOf('?');
  return at === -1 ? '' : request.url.slice(at + 1);
};

export async function oidcRoutes(app: FastifyInstance, { store, auth, now, settings, limiter, secureCookies }: OidcRoutesOptions) {
  const client = settings ? oidcClient(settings) : null;
  // Set and cleared with the same attributes; only the two routes here ever see it.
  const cookie = { path: '/api/auth/oidc', httpOnly: true, sameSite: 'lax', secure: secureCookies } as const;

  /**
   * The address's failure budget (the sign-in limiter's) and, when starting, its budget of sign-ins
   * under way (each is a stored row for 10 minutes, like a passkey challenge): a 429 when spent.
   */
  async function limited(request: FastifyRequest, reply: FastifyReply, starting: boolean): Promise<Refusal | null> {
    let decision = await limiter.checkAddress(request.ip);
    if (decision.ok && starting) decision = await limiter.challenge(request.ip);
    if (decision.ok) return null;
    reply.header('retry-after', String(decision.retryAfterSeconds));
    return { status: 429, code: 'rate_limited', title: 'Too many sign-ins', message: 'Too many sign-ins from this address failed or were started: wait a minute and try again.' };
  }

  const start = doc(PUBLIC, { tag: 'Account', summary: 'Single sign-on: start signing in at the provider (302 there); returnTo: the app page to land on', query: startQuery });
  app.get(START_PATH, start, async (request, reply): Promise<FastifyReply> => {
    if (!client || !settings) return refuse(request, reply, NOT_SET_UP);
    const limit = await limited(request, reply, true);
    if (limit) return refuse(request, reply, limit);
    const query = startQuery.safeParse(request.query);
    const returnTo = query.success ? safeReturnTo(query.data.returnTo) : null;
    if (returnTo === null) {
      return refuse(request, reply, { status: 400, code: 'invalid_field', title: 'Not signed in', message: 'returnTo must be the path of a page of this app, such as /p/ops', field: 'returnTo' });
    }
    const checks = client.newChecks();
    let url: URL;
    try {
      url = await client.authorizationUrl(checks);
    } catch (err) {
      if (!(err instanceof OidcFailure)) throw err;
      request.log.warn({ code: err.code }, 'single sign-on: discovery failed');
      return refuse(request, reply, failed(err));
    }
    const token = newSecret();
    const t = now();
    await store.oidc.saveLogin({ idHash: sha256(token), ...checks, returnTo, expiresAt: t + LOGIN_TTL_MS }, t);
    reply.setCookie(LOGIN_COOKIE, token, { ...cookie, maxAge: LOGIN_TTL_MS / 1000 });
    return reply.redirect(url.href, 302);
  });

  const callback = doc(PUBLIC, { tag: 'Account', summary: "Single sign-on: the provider's redirect back; signs in and 302s to the app, or answers why not", query: callbackQuery });
  app.get(CALLBACK_PATH, callback, async (request, reply): Promise<FastifyReply> => {
    if (!client || !settings) return refuse(request, reply, NOT_SET_UP);
    const limit = await limited(request, reply, false);
    if (limit) return refuse(request, reply, limit);
    // One use, whatever happens next: the cookie goes, and its sign-in is deleted as it is read.
    const token = request.cookies[LOGIN_COOKIE];
    reply.clearCookie(LOGIN_COOKIE, cookie);
    const login = token ? await store.oidc.takeLogin(sha256(token), now()) : null;
    if (!login) {
      await limiter.failedAddress(request.ip);
      request.log.info({ why: token ? 'unknown, used or expired' : 'no cookie' }, 'single sign-on refused');
      return refuse(request, reply, EXPIRED);
    }
    const query = callbackQuery.safeParse(request.query);
    const params = query.success ? query.data : {};
    const missing = params.error === undefined ? (['code', 'state'] as const).find((name) => !params[name]) : undefined;
    if (missing) {
      await limiter.failedAddress(request.ip);
      return refuse(request, reply, { status: 400, code: 'invalid_field', title: 'Not signed in', message: `${missing} is missing from the provider's answer, so you are not signed in. Start again from the sign-in page.`, field: missing });
    }
    let person: Awaited<ReturnType<typeof client.complete>>;
    try {
      person = await client.complete(rawQuery(request), login);
    } catch (err) {
      if (!(err instanceof OidcFailure)) throw err;
      // The code only: never a token, a claim or the provider's own words.
      request.log.info({ code: err.code }, 'single sign-on refused');
      if (err.kind === 'invalid_response') await limiter.failedAddress(request.ip);
      return refuse(request, reply, failed(err));
    }
    const outcome = await signInThroughProvider(store, settings, person, request.ip, now);
    if (outcome.changes.length > 0 && outcome.userId) await store.announceAccess(outcome.userId);
    if (!outcome.ok) {
      request.log.info({ code: outcome.refusal.code, userId: outcome.userId }, 'single sign-on refused');
      return refuse(request, reply, outcome.refusal);
    }
    await auth.issue(reply, outcome.userId);
    request.log.info({ userId: outcome.userId, membershipChanges: outcome.changes.length }, 'signed in through single sign-on');
    return reply.redirect(login.returnTo, 302);
  });
}

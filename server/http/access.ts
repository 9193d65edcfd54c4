/**
 * Who may call what, decided in one place. Every route names the access it needs in its config
 * (`{ config: { access: 'owner' } }`); a route registered without one stops the server at start.
 *
 * The guard runs on the route Fastify matched, after the router decoded the path, so `/%61pi/keys`,
 * `//api/keys` and `/API/keys` are judged as what they reach. Every state-changing request that is
 * not an API-key route must come from this server's own pages (Origin, Sec-Fetch-Site) and carry
 * `Content-Type: application/json`, which no cross-site form or no-cors fetch can send without a
 * CORS preflight (that this server never grants outside the ingest API).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionAuth } from '../auth/session.ts';
import { ApiError } from './errors.ts';

/**
 * - `public`: anyone (health, auth status; sign-in and setup prove themselves in the handler).
 * - `apiKey`: authenticated by an API key in the handler; never by a cookie, so no cross-site guard.
 * - `signedIn`: any signed-in person.
 * - `owner`: the installation's owner (keys, secrets, users) until projects bring per-project roles.
 */
export type Access = 'public' | 'apiKey' | 'signedIn' | 'owner';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/** Refuses a state-changing request that a page of another origin could have made. */
function sameOriginJson(request: FastifyRequest, configuredOrigin: string | null): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') {
    throw new ApiError(403, 'cross_site_request', 'cross-site requests are refused');
  }
  const origin = request.headers.origin;
  const own = `${request.protocol}://${request.headers.host ?? ''}`;
  if (!origin || (origin !== own && origin !== configuredOrigin)) {
    throw new ApiError(403, 'cross_site_request', "the request must come from this server's own pages");
  }
  if (!isJson(request.headers['content-type'])) {
    throw new ApiError(415, 'unsupported_media_type', 'Content-Type must be application/json', 'content-type');
  }
}

export function accessGuard(app: FastifyInstance, auth: SessionAuth, publicUrl: string | null): void {
  const configuredOrigin = publicUrl ? new URL(publicUrl).origin : null;

  // Checked once all routes are in: a plugin's routes get their access from its own onRoute hook,
  // which runs after this one.
  const routes: { method: string | string[]; url: string; config?: { access?: Access } }[] = [];
  app.addHook('onRoute', (route) => void routes.push(route));
  app.addHook('onReady', async () => {
    const undeclared = routes.filter((r) => !r.config?.access).map((r) => `${String(r.method)} ${r.url}`);
    if (undeclared.length > 0) throw new Error(`routes without a declared access (config.access): ${undeclared.join(', ')}`);
  });

  app.addHook('onRequest', async (request) => {
    // An unmatched request (no access) reaches no handler: it gets its 404, whoever sends it.
    const access = request.routeOptions.config?.access;
    if (access === undefined) return;
    if (!SAFE.has(request.method) && access !== 'apiKey') sameOriginJson(request, configuredOrigin);
    if (access === 'signedIn' || access === 'owner') {
      // Handlers of session routes read the session without waiting: it is read here, once. (Public
      // routes that want it, such as the auth status, load it themselves; static files never do.)
      await auth.load(request);
      const user = auth.requireUser(request);
      if (access === 'owner' && user.role !== 'owner') {
        throw new ApiError(403, 'forbidden', 'only the owner of this installation may do this (role: owner)');
      }
    }
  });

  // No answer of this server may be kept by a browser or proxy cache unless its route says so
  // (the built PWA's files set their own Cache-Control): session answers carry secrets.
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}

/** Route options that declare access, for `app.get(path, SIGNED_IN, handler)`. */
const declare = (access: Access) => ({ config: { access } }) as const;
export const PUBLIC = declare('public');
export const API_KEY = declare('apiKey');
export const SIGNED_IN = declare('signedIn');
export const OWNER = declare('owner');

/**
 * Who may call what, decided in one place. Every route names the access it needs in its config
 * (`{ config: { access: 'owner' } }`); a route registered without one stops the server at start.
 * Beside it, each route declares its entry in /api/openapi.json (`doc(OWNER, { summary, tag, … })`):
 * server/openapi builds the document from what the routes declared here, so no second list exists.
 *
 * The guard runs on the route Fastify matched, after the router decoded the path, so `/%61pi/keys`,
 * `//api/keys` and `/API/keys` are judged as what they reach. Every state-changing request that is
 * not an API-key route must come from this server's own pages (Origin, Sec-Fetch-Site) and carry
 * `Content-Type: application/json`, which no cross-site form or no-cors fetch can send without a
 * CORS preflight (that this server never grants outside the ingest API).
 */
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import { DEFAULT_PROJECT, effectiveRole, type Me, type ProjectRole, roleAtLeast } from '../../contract/api.ts';
import type { AppStore } from '../store/types.ts';
import type { ProjectRow } from '../store/records.ts';
import { ApiError } from './errors.ts';

/**
 * - `public`: anyone (health, auth status; sign-in, setup and invites prove themselves in the handler).
 * - `apiKey`: authenticated by an API key in the handler; never by a cookie, so no cross-site guard.
 * - `metricsToken`: the Bearer METRICS_TOKEN, checked in the handler (a scraper has no session).
 * - `signedIn`: any signed-in person (their own account, their list of projects).
 * - `owner`: an owner of the installation (creating and deleting projects).
 * - `viewer`, `member`, `admin`: at least that role in the route's project (CONTRACT §7): the one its
 *   `:slug` names, or `default` on the routes without one, or — with `projectOf: 'event'` — the project
 *   of the event its `:id` names. Owners are admins of every project. Someone who is not a member is
 *   told the project does not exist (404); a member without the role gets 403 naming it.
 */
export type Access = 'public' | 'apiKey' | 'metricsToken' | 'signedIn' | 'owner' | ProjectRole;

/** The sections of /api/openapi.json. */
export type RouteTag = 'Ingest' | 'Integrations' | 'Read API' | 'Decisions' | 'Agents' | 'Feed' | 'Actions' | 'Policy' | 'Projects' | 'Members' | 'Keys' | 'Account' | 'Push' | 'Operations';

/** A route's entry in /api/openapi.json, declared where the route is registered (`doc()`). */
export interface RouteDoc {
  summary: string;
  tag: RouteTag;
  /** The zod schemas the handler validates its body and query with. */
  body?: ZodType;
  query?: ZodType;
  /** The answer's status when it is not 200. */
  status?: 201 | 202 | 204;
}

export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access | undefined;
  /** Where a project route's project comes from (`default`: the routes without a project). */
  projectOf: 'slug' | 'event' | 'request' | 'default';
  /** Its documentation; none on the built app's files and the ingest API's CORS preflight. */
  doc: RouteDoc | undefined;
}

/** A project as the guard resolved it for a request: the person's role in it included. */
export interface RequestProject extends ProjectRow {
  role: ProjectRole;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Where a project route finds its project: the `:slug` (default), the event of `:id`, or the press request of `:id`. */
    projectOf?: 'slug' | 'event' | 'request';
    /** Its entry in /api/openapi.json. */
    doc?: RouteDoc;
  }
  interface FastifyRequest {
    /** Set by the guard on project routes. */
    project: RequestProject | null;
  }
  interface FastifyInstance {
    declaredRoutes(): DeclaredRoute[];
  }
}

/** The signed-in person, as far as the guard needs them (auth/session.ts's SessionUser is one). */
type GuardUser = Pick<Me, 'id' | 'role'>;

/** What the guard asks of the sessions: auth/session.ts's SessionAuth, which app.ts passes in. */
export interface SessionReader {
  load(request: FastifyRequest): Promise<unknown>;
  requireUser(request: FastifyRequest): GuardUser;
}

const PROJECT_ACCESS = new Set<Access>(['viewer', 'member', 'admin']);
export const isProjectAccess = (a: Access | undefined): a is ProjectRole => a !== undefined && PROJECT_ACCESS.has(a);


const NO_PROJECT = () => new ApiError(404, 'not_found', 'no such project');

/** The request's project, as the guard resolved it (only on project routes). */
export function projectOf(request: FastifyRequest): RequestProject {
  if (!request.project) throw new Error(`${request.method} ${request.url}: not a project route`);
  return request.project;
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

/** A route's event or press request that is not there (or not the caller's to know of). */
const notThere = (of: 'event' | 'request') => new ApiError(404, 'not_found', of === 'event' ? 'no such event' : 'no such request');

export function accessGuard(app: FastifyInstance, auth: SessionReader, store: AppStore, publicUrl: string | null): void {
  const configuredOrigin = publicUrl ? new URL(publicUrl).origin : null;
  app.decorateRequest('project', null);

  async function resolveProject(request: FastifyRequest, user: GuardUser): Promise<{ project: ProjectRow; role: ProjectRole | null } | null> {
    const params = request.params as { slug?: string; id?: string };
    const of = request.routeOptions.config.projectOf;
    if (of === 'event' || of === 'request') {
      const projectId =
        params.id === undefined ? null : of === 'event' ? await store.events.projectIdOf(params.id) : ((await store.pressRequests.byId(params.id))?.project_id ?? null);
      if (projectId === null) throw notThere(of);
      const project = await store.projects.byId(projectId);
      return project ? { project, role: effectiveRole(user, await store.members.role(project.id, user.id)) } : null;
    }
    const found = await store.projects.access(params.slug ?? DEFAULT_PROJECT, user.id);
    if (!found) return null;
    const { member_role, ...project } = found;
    return { project, role: effectiveRole(user, member_role) };
  }

  // Checked once all routes are in: a plugin's routes get their access from its own onRoute hook,
  // which runs after this one.
  const routes: { method: string | string[]; url: string; config?: FastifyContextConfig }[] = [];
  app.addHook('onRoute', (route) => void routes.push(route));
  // What every route declared: for /api/openapi.json, and for the tests that walk them all.
  app.decorate('declaredRoutes', () =>
    routes.flatMap((r) =>
      (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({
        method,
        url: r.url,
        access: r.config?.access,
        projectOf: r.config?.projectOf ?? (r.url.includes(':slug') ? 'slug' : 'default'),
        doc: r.config?.doc,
      })),
    ),
  );
  app.addHook('onReady', async () => {
    const undeclared = routes.filter((r) => !r.config?.access).map((r) => `${String(r.method)} ${r.url}`);
    if (undeclared.length > 0) throw new Error(`routes without a declared access (config.access): ${undeclared.join(', ')}`);
  });

  app.addHook('onRequest', async (request) => {
    // An unmatched request (no access) reaches no handler: it gets its 404, whoever sends it.
    const access = request.routeOptions.config?.access;
    if (access === undefined) return;
    if (!SAFE.has(request.method) && access !== 'apiKey') sameOriginJson(request, configuredOrigin);
    if (access === 'public' || access === 'apiKey' || access === 'metricsToken') return;
    // Handlers of session routes read the session without waiting: it is read here, once. (Public
    // routes that want it, such as the auth status, load it themselves; static files never do.)
    await auth.load(request);
    const user = auth.requireUser(request);
    if (access === 'owner' && user.role !== 'owner') {
      throw new ApiError(403, 'forbidden', 'only an owner of this installation may do this (role: owner)');
    }
    if (isProjectAccess(access)) {
      const resolved = await resolveProject(request, user);
      if (!resolved || resolved.role === null) {
        // A route that names an event (or a request), not a project, says the event is not there.
        const of = request.routeOptions.config.projectOf;
        throw of === 'event' || of === 'request' ? notThere(of) : NO_PROJECT();
      }
      if (!roleAtLeast(resolved.role, access)) {
        throw new ApiError(403, 'forbidden', `this needs the ${access} role in this project (yours: ${resolved.role})`);
      }
      request.project = { ...resolved.project, role: resolved.role };
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
export const METRICS = declare('metricsToken');
export const SIGNED_IN = declare('signedIn');
export const OWNER = declare('owner');
export const VIEWER = declare('viewer');
export const MEMBER = declare('member');
export const ADMIN = declare('admin');

/**
 * Route options with the route's documentation beside its access (and whatever else they hold):
 * `app.get(path, doc(SIGNED_IN, { tag: 'Account', summary: '…' }), handler)`.
 */
export function doc<O extends { config: FastifyContextConfig }>(options: O, documentation: RouteDoc): O {
  return { ...options, config: { ...options.config, doc: documentation } };
}

/**
 * Documents, by `METHOD /path`, routes that a registrar called in `scope` makes with bare access
 * constants (the health routes, the live streams, the All projects feed: their files do not pass
 * `doc()` yet). Every entry must meet its route, or the server does not start.
 */
export function documentRoutes(scope: FastifyInstance, docs: Record<string, RouteDoc>): void {
  const unmet = new Set(Object.keys(docs));
  scope.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const found = docs[`${method} ${route.url}`];
      if (!found) continue;
      unmet.delete(`${method} ${route.url}`);
      route.config = { ...route.config, doc: found };
    }
  });
  scope.addHook('onReady', async () => {
    if (unmet.size > 0) throw new Error(`documented routes that were not registered: ${[...unmet].join(', ')}`);
  });
}

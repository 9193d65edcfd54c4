/**
 * Every route of the API, as documented in /api/openapi.json: its access, a summary, and the zod
 * schemas its handler validates with. A test holds this table against the routes the server really
 * registers (and their declared access), so neither can change without the other.
 */
import type { ZodType } from 'zod';
import { createApiKeyBody, signInBody } from '../../contract/auth.ts';
import { eventSchema } from '../../contract/ingest.ts';
import { acceptInviteBody, changeRoleBody, createInviteBody, createProjectBody, deleteProjectBody, ownerSetupBody, renameProjectBody } from '../../contract/projects.ts';
import { pushSubscriptionBody } from '../../contract/pushApi.ts';
import { emailBody, nameBody, passwordBody } from '../auth/account.ts';
import { resetBody } from '../auth/passwordResets.ts';
import { feedQuery } from '../feed/read.ts';
import { categoriesQuery, handledBody } from '../feed/routes.ts';
import { streamQuery } from '../feed/stream.ts';
import type { Access } from '../http/access.ts';
import { insightsQuery } from '../insights/routes.ts';
import { auditQuery } from '../projects/audit.ts';
import { tokenBody } from '../projects/invites.ts';
import { notificationsBody, ownerBody } from '../projects/routes.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface DocumentedRoute {
  method: Method;
  /** Fastify's form: `/api/projects/:slug/events/:id`. */
  path: string;
  access: Access;
  summary: string;
  tag: 'Ingest' | 'Read API' | 'Feed' | 'Actions' | 'Projects' | 'Members' | 'Keys' | 'Account' | 'Push' | 'Operations';
  body?: ZodType;
  query?: ZodType;
  /** The answer's status when it is not 200. */
  status?: 201 | 202 | 204;
  /** A project route: also served without `/projects/:slug` for the project `default`. */
  project?: string;
}

const P = '/api/projects/:slug';

/** Project routes are listed once with `project` (the part after the slug): both paths are made from it. */
export const DOCUMENTED_ROUTES: DocumentedRoute[] = [
  { method: 'GET', path: '/healthz', access: 'public', tag: 'Operations', summary: 'Liveness: the process answers (touches nothing)' },
  { method: 'GET', path: '/readyz', access: 'public', tag: 'Operations', summary: 'Readiness: the store answers a read and a write; 503 while shutting down' },
  { method: 'GET', path: '/metrics', access: 'metricsToken', tag: 'Operations', summary: 'Prometheus metrics (Bearer METRICS_TOKEN; 404 when none is set)' },
  { method: 'GET', path: '/api/openapi.json', access: 'public', tag: 'Operations', summary: 'This document' },

  { method: 'POST', path: '/api/v1/log', access: 'apiKey', tag: 'Ingest', summary: 'Send an event (JSON, or text/plain: the name)', body: eventSchema, status: 201 },
  { method: 'POST', path: '/api/v1/ingest', access: 'apiKey', tag: 'Ingest', summary: 'The same as /api/v1/log (the path some Operational clients call)', body: eventSchema, status: 201 },
  { method: 'POST', path: '/api/v1/identify', access: 'apiKey', tag: 'Ingest', summary: "Answers {} (Operational's SDKs call it)" },
  { method: 'GET', path: '/api/v1/events', access: 'apiKey', tag: 'Read API', summary: "A page of the key's project's events (a key with the read scope)", query: feedQuery },
  { method: 'GET', path: '/api/v1/events/:id', access: 'apiKey', tag: 'Read API', summary: 'One event with its thread and presses (a key with the read scope)' },

  { method: 'GET', path: '/api/auth/status', access: 'public', tag: 'Account', summary: 'Who is signed in; whether setup is needed' },
  { method: 'POST', path: '/api/auth/setup', access: 'public', tag: 'Account', summary: "Create the first owner with the server's one-time setup token (and name them and the first project)", body: ownerSetupBody, status: 201 },
  { method: 'POST', path: '/api/auth/sign-in', access: 'public', tag: 'Account', summary: 'Sign in: sets the session cookie', body: signInBody },
  { method: 'POST', path: '/api/auth/sign-out', access: 'public', tag: 'Account', summary: 'Sign out: ends the session', status: 204 },
  { method: 'POST', path: '/api/auth/reset-password', access: 'public', tag: 'Account', summary: 'Set a new password with a reset link an admin made', body: resetBody },
  { method: 'POST', path: '/api/invites/lookup', access: 'public', tag: 'Members', summary: 'What an invite link is for', body: tokenBody },
  { method: 'POST', path: '/api/invites/accept', access: 'public', tag: 'Members', summary: 'Join with an invite link (signed in: with one click)', body: acceptInviteBody },
  { method: 'PATCH', path: '/api/account', access: 'signedIn', tag: 'Account', summary: 'Change your name', body: nameBody },
  { method: 'POST', path: '/api/account/password', access: 'signedIn', tag: 'Account', summary: 'Change your password', body: passwordBody },
  { method: 'POST', path: '/api/account/email', access: 'signedIn', tag: 'Account', summary: 'Change your email', body: emailBody },
  { method: 'POST', path: '/api/account/sign-out-others', access: 'signedIn', tag: 'Account', summary: 'End your other sessions' },

  { method: 'GET', path: '/api/projects', access: 'signedIn', tag: 'Projects', summary: 'Your projects, with your role and the open events and pressable actions in each' },
  { method: 'POST', path: '/api/projects', access: 'owner', tag: 'Projects', summary: 'Create a project', body: createProjectBody, status: 201 },
  { method: 'GET', path: P, access: 'viewer', tag: 'Projects', summary: 'One project' },
  { method: 'GET', path: `${P}/progress`, access: 'viewer', tag: 'Projects', summary: 'First-run progress: a key, an event, a press, a teammate' },
  { method: 'PATCH', path: P, access: 'admin', tag: 'Projects', summary: 'Rename a project', body: renameProjectBody },
  { method: 'DELETE', path: P, access: 'owner', tag: 'Projects', summary: 'Delete a project and everything in it (type its name to confirm)', body: deleteProjectBody, status: 204 },
  { method: 'PUT', path: '/api/users/:id/owner', access: 'owner', tag: 'Members', summary: 'Make someone an owner of the installation, or not', body: ownerBody },
  { method: 'GET', path: `${P}/notifications`, access: 'viewer', tag: 'Push', summary: 'Your push settings for a project' },
  { method: 'PUT', path: `${P}/notifications`, access: 'viewer', tag: 'Push', summary: 'Turn a project’s pushes on or off; mute categories', body: notificationsBody },
  { method: 'GET', path: `${P}/audit`, access: 'member', tag: 'Projects', summary: 'The project’s activity log, in cursor pages (members: presses only)', query: auditQuery },

  { method: 'GET', path: `${P}/events`, project: 'events', access: 'viewer', tag: 'Feed', summary: 'A page of the feed: filters, search, cursor', query: feedQuery },
  { method: 'GET', path: `${P}/events/:id`, project: 'events/:id', access: 'viewer', tag: 'Feed', summary: 'One event with its thread and presses' },
  { method: 'DELETE', path: `${P}/events/:id`, project: 'events/:id', access: 'admin', tag: 'Feed', summary: 'Delete an event and the thread it opens', status: 204 },
  { method: 'PUT', path: `${P}/events/:id/handled`, project: 'events/:id/handled', access: 'member', tag: 'Feed', summary: 'Mark an event handled, or not', body: handledBody },
  { method: 'GET', path: `${P}/categories`, project: 'categories', access: 'viewer', tag: 'Feed', summary: 'Categories with their event counts', query: categoriesQuery },
  { method: 'GET', path: `${P}/stream`, project: 'stream', access: 'viewer', tag: 'Feed', summary: 'The live feed (Server-Sent Events; resumes after Last-Event-ID)', query: streamQuery },
  { method: 'GET', path: '/api/all/events', access: 'signedIn', tag: 'Feed', summary: 'A page of the feed across all your projects, each event with its project’s slug', query: feedQuery },
  { method: 'GET', path: '/api/all/events/:id', access: 'signedIn', tag: 'Feed', summary: 'One event of any of your projects (with its project’s slug), its thread and attempts' },
  { method: 'GET', path: '/api/all/stream', access: 'signedIn', tag: 'Feed', summary: 'The live feed across all your projects (Server-Sent Events; resumes after Last-Event-ID)', query: streamQuery },
  { method: 'GET', path: `${P}/insights`, project: 'insights', access: 'viewer', tag: 'Feed', summary: 'Counts per day, presses, pushes, busiest names', query: insightsQuery },
  { method: 'POST', path: '/api/events/:id/actions/:key/trigger', access: 'member', tag: 'Actions', summary: 'Press a webhook action (after the app’s confirm step)' },

  { method: 'GET', path: `${P}/keys`, project: 'keys', access: 'admin', tag: 'Keys', summary: 'The project’s API keys' },
  { method: 'POST', path: `${P}/keys`, project: 'keys', access: 'admin', tag: 'Keys', summary: 'Create an API key (shown once), scope ingest or read', body: createApiKeyBody, status: 201 },
  { method: 'DELETE', path: `${P}/keys/:id`, project: 'keys/:id', access: 'admin', tag: 'Keys', summary: 'Revoke an API key', status: 204 },
  { method: 'GET', path: `${P}/webhook-secret`, project: 'settings/webhook-secret', access: 'admin', tag: 'Keys', summary: 'The webhook signing secret' },
  { method: 'POST', path: `${P}/webhook-secret/rotate`, project: 'settings/webhook-secret/rotate', access: 'admin', tag: 'Keys', summary: 'Rotate the webhook signing secret' },
  { method: 'GET', path: `${P}/members`, access: 'admin', tag: 'Members', summary: 'Members and their roles' },
  { method: 'PATCH', path: `${P}/members/:userId`, access: 'admin', tag: 'Members', summary: 'Change a member’s role', body: changeRoleBody },
  { method: 'DELETE', path: `${P}/members/:userId`, access: 'admin', tag: 'Members', summary: 'Remove a member', status: 204 },
  { method: 'POST', path: `${P}/members/:userId/password-reset`, access: 'admin', tag: 'Members', summary: 'A one-time password reset link for a member', status: 201 },
  { method: 'GET', path: `${P}/invites`, access: 'admin', tag: 'Members', summary: 'Pending invites' },
  { method: 'POST', path: `${P}/invites`, access: 'admin', tag: 'Members', summary: 'Make an invite link for one role (shown once)', body: createInviteBody, status: 201 },
  { method: 'DELETE', path: `${P}/invites/:id`, access: 'admin', tag: 'Members', summary: 'Revoke an invite', status: 204 },

  { method: 'GET', path: '/api/push/public-key', access: 'signedIn', tag: 'Push', summary: 'The VAPID public key to subscribe with' },
  { method: 'PUT', path: '/api/push/subscriptions', access: 'signedIn', tag: 'Push', summary: 'Save this device’s push subscription', body: pushSubscriptionBody },
  { method: 'GET', path: '/api/push/subscriptions', access: 'signedIn', tag: 'Push', summary: 'Your devices' },
  { method: 'DELETE', path: '/api/push/subscriptions/:id', access: 'signedIn', tag: 'Push', summary: 'Remove a device', status: 204 },
  { method: 'POST', path: '/api/push/test', access: 'signedIn', tag: 'Push', summary: 'Send a test push to your devices', status: 202 },
];

/** Every (method, path) the table stands for: project routes also at their path for `default`. */
export function documentedPaths(): { method: Method; path: string; route: DocumentedRoute }[] {
  return DOCUMENTED_ROUTES.flatMap((route) => {
    const paths = [{ method: route.method, path: route.path, route }];
    if (route.project) paths.push({ method: route.method, path: `/api/${route.project}`, route });
    return paths;
  });
}

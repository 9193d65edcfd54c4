/**
 * Shared setup for the trigger-API tests: real webhook receivers on 127.0.0.1 that record every
 * request, and an app (on the run's store: SQLite in a temp dir, or PostgreSQL) with a signed-in session and an API key.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import type { ApiErrorBody, EventDetail, IngestAccepted } from '../contract/api.ts';
import { ingest, type MakeAppOptions, makeApp, OWN_ORIGIN, type TestApp } from './helpers.ts';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface Receiver {
  /** http://127.0.0.1:<port>/hook */
  url: string;
  port: number;
  requests: ReceivedRequest[];
}

export type Answer = (res: ServerResponse, got: ReceivedRequest) => void;

const servers: Server[] = [];

/** A real HTTP server that records each request (method, headers, raw body), then lets `answer` respond (or not). */
export async function startReceiver(answer: Answer = (res) => res.writeHead(200).end('ok')): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') };
      requests.push(got);
      answer(res, got);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, port, requests };
}

/** A URL on 127.0.0.1 whose port was just freed: nothing listens there. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

/** Closes every receiver started so far (including connections a test left hanging). */
export async function stopReceivers(): Promise<void> {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
}

/** Only string-valued headers, the shape `Webhook.verify` takes. */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** A 3000-byte answer whose first 1 KiB differs from the rest, so a wrong cut shows. */
export const LONG_ANSWER = `${'a'.repeat(1024)}${'b'.repeat(1976)}`;
export const LONG_ANSWER_EXCERPT = 'a'.repeat(1024);

/** Loopback receivers need WEBHOOK_ALLOW_PRIVATE (and KEEP_PRIVATE_RESPONSES to see their answers); a short timeout keeps "never answers" quick. */
export const RECEIVER_ENV = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_KEEP_PRIVATE_RESPONSES: 'true', WEBHOOK_TIMEOUT_MS: '1000' };

export interface ActionsApp extends TestApp {
  cookie: string;
  key: string;
  /** Ingests `body` with the API key; returns the new event's id. */
  send(body: Record<string, unknown>): Promise<string>;
  /** Ingests an event with one webhook action `approve` pointing at `url`; returns the event id. */
  sendAction(url: string, action?: Record<string, unknown>, event?: Record<string, unknown>): Promise<string>;
  /** POST /api/events/:id/actions/:key/trigger with the session cookie and own origin (or `headers`). */
  press(eventId: string, actionKey?: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  detail(eventId: string): Promise<EventDetail>;
  secret(): Promise<string>;
}

export async function actionsApp(options: MakeAppOptions = {}): Promise<ActionsApp> {
  const t = await makeApp({ ...options, env: options.env ?? RECEIVER_ENV });
  const cookie = await t.signIn();
  const key = await t.apiKey();
  const send = async (body: Record<string, unknown>) => {
    const res = await ingest(t.app, key, body);
    if (res.statusCode !== 201) throw new Error(`ingest failed: ${res.statusCode} ${res.body}`);
    return res.json<IngestAccepted>().id;
  };
  return {
    ...t,
    cookie,
    key,
    send,
    sendAction: (url, action = {}, event = {}) =>
      send({ name: 'deploy waiting', ...event, actions: [{ key: 'approve', buttonText: 'Approve', url, ...action }] }),
    press: (eventId, actionKey = 'approve', headers = { cookie, origin: OWN_ORIGIN }) =>
      t.app.inject({
        method: 'POST',
        url: `/api/events/${encodeURIComponent(eventId)}/actions/${encodeURIComponent(actionKey)}/trigger`,
        headers,
        payload: {},
      }),
    async detail(eventId) {
      const res = await t.app.inject({ method: 'GET', url: `/api/events/${encodeURIComponent(eventId)}`, headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`detail failed: ${res.statusCode} ${res.body}`);
      return res.json<EventDetail>();
    },
    async secret() {
      const res = await t.app.inject({ method: 'GET', url: '/api/settings/webhook-secret', headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`secret failed: ${res.statusCode} ${res.body}`);
      return res.json<{ secret: string }>().secret;
    },
  };
}

/** The error code of a JSON error answer. */
export const errorCode = (res: LightMyRequestResponse) => res.json<ApiErrorBody>().error.code;

/** The webhook body as CONTRACT.md §2 describes it. */
export interface WebhookBody {
  event: {
    id: string;
    name: string | null;
    category: string | null;
    userId: string | null;
    contextId: string | null;
    createdAt: string;
    key: string;
    meta: unknown;
  };
  action: { key: string; buttonText: string; meta: unknown; attempt: number };
  pressedBy: { id: string; email: string };
  pressedAt: string;
}

/** The parsed JSON body of a recorded webhook request. */
export const webhookBody = (r: ReceivedRequest | undefined): WebhookBody => {
  if (!r) throw new Error('no webhook request was received');
  return JSON.parse(r.rawBody) as WebhookBody;
};

/**
 * The API for apps and scripts, authenticated by an API key: POST /api/v1/log (and /api/v1/ingest),
 * Operational-compatible ingest (CONTRACT §1); GET /api/v1/events and /api/v1/events/:id for keys
 * with the `read` scope (CONTRACT §9).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { IngestAccepted, KeyScope } from '../../contract/api.ts';
import { eventSchema, type NormalizedEvent, parseIngestBody, parsePlainTextBody } from '../../contract/ingest.ts';
import { LIMITS } from '../../contract/limits.ts';
import { keyFromAuthorization } from '../auth/apiKeys.ts';
import { cachedKeys } from '../auth/keyCache.ts';
import { sha256 } from '../auth/tokens.ts';
import { ApiError, badField } from '../http/errors.ts';
import { rateLimiter } from '../http/rateLimiter.ts';
import type { AppStore as Store } from '../store/types.ts';
import { type IngestJob, ingestWriter } from './writer.ts';
import { type BatchAnswer, type BatchItem, type BatchResult, BATCH_MAX_BYTES, BATCH_MAX_EVENTS, batchItems, batchParsers, itemIdempotencyKey } from './batch.ts';
import { eventDetail, feedPage, feedQuery } from '../feed/read.ts';
import { API_KEY, doc } from '../http/access.ts';
import type { IngestOutcome, Metrics } from '../metrics/metrics.ts';
import { decisionRoutes } from '../decisions/routes.ts';
import type { DecisionWaiters } from '../decisions/waiters.ts';
import { mcpRoutes } from '../mcp/routes.ts';
import { hookRoutes } from '../integrations/hooks.ts';

export interface IngestRoutesOptions {
  store: Store;
  now: () => number;
  rateLimitPerMinute: number;
  metrics: Metrics;
  /** The long polls on decisions (§11), woken from the live log. */
  waiters: DecisionWaiters;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiKeyId: string | null;
    apiKeyProject: number | null;
    apiKeyScope: KeyScope | null;
  }
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Authorization, Idempotency-Key, x-token, x-test',
  'access-control-max-age': '86400',
};

export async function ingestRoutes(app: FastifyInstance, opts: IngestRoutesOptions) {
  const { store, now } = opts;
  // Leased: with several instances, one write per batch of a key's requests, not per request.
  const limiter = rateLimiter(opts.rateLimitPerMinute, store.buckets, now, { lease: true });
  const writer = ingestWriter(store);
  // Active keys in memory; a revocation anywhere forgets them (auth/keyCache.ts).
  const keys = cachedKeys(store);
  app.addHook('onClose', async () => keys.stop());
  batchParsers(app);
  app.decorateRequest('apiKeyId', null);
  app.decorateRequest('apiKeyProject', null);
  app.decorateRequest('apiKeyScope', null);

  // Browser apps may send events straight from a page, as with Operational: allow any origin.
  // No cookie is ever read on these routes, so this opens nothing.
  // Only /api/v1: the MCP endpoint registered here too is for agents, not for pages.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/api/v1/')) reply.headers(CORS);
    done(null, payload);
  });
  app.options('/api/v1/*', API_KEY, async (_request, reply) => reply.code(204).send());

  /** Runs before the body is read: no key, no parsing. */
  async function authenticate(request: FastifyRequest) {
    const key = keyFromAuthorization(request.headers.authorization);
    if (!key) throw new ApiError(401, 'missing_api_key', 'send your API key as "Authorization: Bearer <key>"');
    await checkKey(request, key);
  }

  /** A key wherever the request carries it (the Authorization header, an integration's URL, PagerDuty's routing_key): known, not revoked, within its rate. */
  async function checkKey(request: FastifyRequest, key: string) {
    const found = await keys.activeByHash(sha256(key));
    if (!found) throw new ApiError(401, 'invalid_api_key', 'this API key is unknown or was revoked');
    const decision = await limiter.take(`ingest:${found.id}`);
    if (!decision.ok) {
      throw new ApiError(429, 'rate_limited', 'too many events for this API key; slow down', null, {
        'retry-after': String(decision.retryAfterSeconds),
      });
    }
    request.apiKeyId = found.id;
    request.apiKeyProject = found.projectId;
    request.apiKeyScope = found.scope;
  }

  /** The read API: a key with the `read` scope, in its own project only. */
  async function authenticateReader(request: FastifyRequest) {
    await authenticate(request);
    if (request.apiKeyScope !== 'read') {
      throw new ApiError(403, 'forbidden', 'this API key may only send events: create one with the read scope (Settings, or apikey:create --scope read)');
    }
  }

  /** The Idempotency-Key header: one, of 1 to 255 characters, or none. */
  function idempotencyKeyOf(request: FastifyRequest): string | null {
    const key = request.headers['idempotency-key'];
    // Node joins a repeated header into one "a, b" value; headersDistinct (absent under inject) still tells.
    const repeated = (request.raw.headersDistinct?.['idempotency-key']?.length ?? 0) > 1;
    if (repeated || Array.isArray(key) || (key !== undefined && (key === '' || key.length > LIMITS.idempotencyKey))) {
      throw badField('Idempotency-Key', `must be one header of 1 to ${LIMITS.idempotencyKey} characters`);
    }
    return key ?? null;
  }

  async function ingest(request: FastifyRequest, reply: FastifyReply): Promise<IngestAccepted | BatchAnswer> {
    const idempotencyKey = idempotencyKeyOf(request);
    const items = batchItems(request);
    if (items !== null) return writeEach(request, reply, items, idempotencyKey);
    // Decided by the media type, not the parsed value: a JSON body holding a string is not the text shortcut.
    const plainText = /^text\/plain\b/i.test(request.headers['content-type'] ?? '');
    const parsed = plainText && typeof request.body === 'string' ? parsePlainTextBody(request.body) : parseIngestBody(request.body);
    if (!parsed.ok) throw badField(parsed.problem.field, parsed.problem.message);

    const outcome = await writer.submit(jobOf(request, parsed, idempotencyKey));
    if (!outcome.created) reply.header('idempotent-replayed', 'true');
    // An update in place of the event with the same dedupKey (§12) is 200, with that event's id.
    reply.code(outcome.answer.deduplicated ? 200 : 201);
    return outcome.answer;
  }

  function jobOf(request: FastifyRequest, parsed: { event: NormalizedEvent; warnings: string[] }, idempotencyKey: string | null): IngestJob {
    return { event: parsed.event, warnings: parsed.warnings, apiKeyId: request.apiKeyId!, projectId: request.apiKeyProject!, idempotencyKey, createdAt: now() };
  }

  /**
   * §13: a batch's events each checked alone, the valid ones written in one transaction; a result per
   * event in order (the 207 of a batch request; an integration's delivery answers them too).
   */
  async function writeEach(request: FastifyRequest, reply: FastifyReply, items: BatchItem[], batchKey: string | null): Promise<BatchAnswer> {
    const results: BatchResult[] = [];
    /** Each event's metric label (counted here, per event, not per request). */
    const counted: IngestOutcome[] = [];
    const jobs: { job: IngestJob; at: number }[] = [];
    for (const [i, item] of items.entries()) {
      const parsed = 'error' in item ? null : parseIngestBody(item.value);
      if (parsed?.ok) jobs.push({ job: jobOf(request, parsed, itemIdempotencyKey(batchKey, i)), at: i });
      // A placeholder for a valid event, filled in once it is written.
      results.push('error' in item ? item : parsed?.ok ? { id: '', createdAt: '' } : badField(parsed!.problem.field, parsed!.problem.message).body());
      counted.push('rejected');
    }
    const written = await writer.submitMany(jobs.map((j) => j.job));
    for (const [n, { at }] of jobs.entries()) {
      const outcome = written[n]!;
      if (outcome.status === 'rejected') {
        request.log.error({ err: outcome.reason }, 'writing an event of a batch failed');
        results[at] = { error: { code: 'internal_error', message: 'this event could not be stored: send it again', field: null } };
        counted[at] = 'error';
        continue;
      }
      results[at] = outcome.value.answer;
      counted[at] = outcome.value.created ? 'accepted' : 'replayed';
    }
    if (jobs.length > 0 && jobs.every(({ at }) => counted[at] === 'replayed')) reply.header('idempotent-replayed', 'true');
    const project = await projectLabel(request.apiKeyProject);
    for (const outcome of counted) opts.metrics.eventsIngested.inc({ project, outcome });
    reply.code(207);
    return { results };
  }

  // A project's slug for the metrics label; projects are few and their slugs never change.
  const slugs = new Map<number, string>();
  async function projectLabel(id: number | null): Promise<string> {
    if (id === null) return 'none';
    let slug = slugs.get(id);
    if (slug === undefined) {
      slug = (await store.projects.byId(id))?.slug ?? 'none';
      slugs.set(id, slug);
    }
    return slug;
  }
  function outcomeOf(status: number, replayed: boolean): IngestOutcome {
    if (status === 201 || status === 200) return replayed ? 'replayed' : 'accepted';
    if (status === 401) return 'unauthorized';
    if (status === 429) return 'rate_limited';
    return status >= 500 ? 'error' : 'rejected';
  }
  async function measure(request: FastifyRequest, reply: FastifyReply) {
    opts.metrics.ingestDuration.observe(reply.elapsedTime / 1000);
    // A batch counted its events one by one.
    if (reply.statusCode === 207) return;
    const outcome = outcomeOf(reply.statusCode, reply.getHeader('idempotent-replayed') === 'true');
    opts.metrics.eventsIngested.inc({ project: await projectLabel(request.apiKeyProject), outcome });
  }

  const route = { ...API_KEY, bodyLimit: LIMITS.bodyBytes, onRequest: authenticate };
  // A batch may be 5 MiB; batchItems holds a single event to its 100 KiB.
  const ingestRoute = { ...route, bodyLimit: BATCH_MAX_BYTES, onResponse: measure };
  const ingestBody = z.union([eventSchema, z.array(eventSchema).min(1).max(BATCH_MAX_EVENTS)]);
  const ingestSummary = 'Send an event (JSON, or text/plain: the name) — or a batch: a JSON array or NDJSON of at most 500 events, answered 207 per event';
  app.post('/api/v1/log', doc(ingestRoute, { tag: 'Ingest', summary: ingestSummary, body: ingestBody, status: 201 }), ingest);
  app.post(
    '/api/v1/ingest',
    doc(ingestRoute, { tag: 'Ingest', summary: 'The same as /api/v1/log (the path some Operational clients call)', body: ingestBody, status: 201 }),
    ingest,
  );
  const readRoute = { ...API_KEY, onRequest: authenticateReader };
  app.get(
    '/api/v1/events',
    doc(readRoute, { tag: 'Read API', summary: "A page of the key's project's events (a key with the read scope)", query: feedQuery }),
    async (request) => feedPage(store, now, request.apiKeyProject!, request.query),
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/events/:id',
    doc(readRoute, { tag: 'Read API', summary: 'One event with its thread and presses (a key with the read scope)' }),
    async (request) => eventDetail(store, now, request.apiKeyProject!, request.params.id),
  );
  // Any key of the event's project (ingest or read scope) reads its question's answer.
  decisionRoutes(app, { store, now, waiters: opts.waiters, authenticate });
  // The MCP server for agents (§11): the same key check, writer and waits.
  mcpRoutes(app, { store, now, waiters: opts.waiters, authenticate, writer });
  // Integrations' deliveries and PagerDuty's Events API (§13), in a scope of their own: raw bodies.
  await app.register(async (scope) => hookRoutes(scope, { store, now, checkKey, writeEach }));
  // Operational's SDK also calls identify; Operational itself answers an empty object.
  app.post('/api/v1/identify', doc(route, { tag: 'Ingest', summary: "Answers {} (Operational's SDKs call it)" }), async () => ({}));
}

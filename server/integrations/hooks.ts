/**
 * Where the tools a team runs deliver (§13): `POST /api/v1/hooks/<source>/<token>`, the token being
 * the integration's key, and PagerDuty's Events API v2 at `POST /v2/enqueue` (and the same body at an
 * integration URL of source `pagerduty`). A delivery is read as raw bytes (GitHub and Stripe sign
 * them), mapped by its source's module into events, and written as a batch is: in one transaction.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isIntegrationSource, SOURCE_INFO } from '../../contract/integrations.ts';
import { API_KEY, doc } from '../http/access.ts';
import { ApiError } from '../http/errors.ts';
import { type BatchAnswer, type BatchItem, BATCH_MAX_BYTES } from '../ingest/batch.ts';
import { changeByKey } from '../ingest/writer.ts';
import type { AppStore as Store } from '../store/types.ts';
import { parsePdEvent, pdInvalid, pdSuccess, pdThrottled } from './pagerduty.ts';
import { signatureProblem } from './signatures.ts';
import { mapDelivery } from './sources/index.ts';
import type { MappedEvent } from './types.ts';

export interface HookRoutesDeps {
  store: Store;
  now: () => number;
  /** Checks a key (known, not revoked, within its rate) and marks the request as that key's. */
  checkKey(request: FastifyRequest, key: string): Promise<void>;
  /** Writes events as one batch request (each checked alone); answers 207's results. */
  writeEach(request: FastifyRequest, reply: FastifyReply, items: BatchItem[], idempotencyKey: string | null): Promise<BatchAnswer>;
}

/** PagerDuty accepts up to 512 KB an event. */
const PD_BODY_BYTES = 512 * 1024;

/** Header values as strings (a repeated header: its first value). */
function headersOf(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) out[name] = Array.isArray(value) ? value[0] : value;
  return out;
}

/** The idempotency a sender already gives a delivery: GitHub's delivery id, Stripe's event id, or an Idempotency-Key. */
function deliveryKey(source: string, headers: Record<string, string | undefined>, body: unknown): string | null {
  const given = headers['idempotency-key'] ?? (source === 'github' ? headers['x-github-delivery'] : undefined);
  if (given) return `${source}:${given}`.slice(0, 255);
  const id = source === 'stripe' && typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.length > 0 ? `stripe:${id}`.slice(0, 255) : null;
}

export async function hookRoutes(app: FastifyInstance, deps: HookRoutesDeps) {
  const { store, now } = deps;
  const json = app.getDefaultJsonParser('error', 'error');
  /** JSON (prototype poisoning refused), or a form's `payload` field (GitHub's other content type); undefined when unreadable. */
  function parseBody(raw: Buffer, contentType: string | undefined): unknown {
    let text = raw.toString('utf8');
    if (/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) text = new URLSearchParams(text).get('payload') ?? '';
    let out: unknown;
    json({} as FastifyRequest, text, (err, value) => {
      out = err ? undefined : value;
    });
    return out;
  }

  // Deliveries are read as bytes whatever their type: the signature is over exactly these bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const rawOf = (request: FastifyRequest) => (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));

  type HookRequest = FastifyRequest<{ Params: { source: string; token: string } }>;
  const hook = {
    ...API_KEY,
    bodyLimit: BATCH_MAX_BYTES,
    onRequest: async (request: HookRequest) => {
      if (!isIntegrationSource(request.params.source)) throw new ApiError(404, 'unknown_source', `no integration source "${request.params.source}"`, 'source');
      await deps.checkKey(request, request.params.token);
    },
  };
  app.post<{ Params: { source: string; token: string } }>(
    '/api/v1/hooks/:source/:token',
    doc(hook, { tag: 'Integrations', summary: "A source's delivery (Alertmanager, Grafana, GitHub, Stripe, Sentry, Uptime Kuma, PagerDuty v2) becomes events" }),
    async (request, reply) => {
      const source = request.params.source;
      const integration = await store.integrations.byKey(request.apiKeyId!);
      if (!integration || integration.source !== source) {
        throw new ApiError(401, 'invalid_api_key', `this URL's token is not a ${isIntegrationSource(source) ? SOURCE_INFO[source].label : source} integration: copy the URL from Settings → Integrations`);
      }
      const raw = rawOf(request);
      const headers = headersOf(request);
      const problem = signatureProblem(integration.source, integration.signingSecret, raw, headers, now());
      if (problem) throw new ApiError(401, 'bad_signature', problem);
      const body = parseBody(raw, headers['content-type']);
      if (integration.source === 'pagerduty') return enqueue(request, reply, body, request.apiKeyProject!);
      const events: MappedEvent[] = mapDelivery({ source: integration.source, body, rawBody: raw.toString('utf8'), headers });
      const answer = await deps.writeEach(request, reply, events.map((value) => ({ value })), deliveryKey(source, headers, body));
      // Senders retry what is not 2xx: every event is accounted for in the results.
      reply.code(200);
      return answer;
    },
  );

  /** PagerDuty's Events API v2, answered as PagerDuty answers. */
  async function enqueue(request: FastifyRequest, reply: FastifyReply, body: unknown, projectId: number) {
    const parsed = parsePdEvent(body);
    if (!parsed.ok) return reply.code(400).send(pdInvalid(parsed.errors));
    const { action, dedupKey, event } = parsed.value;
    if (event) {
      const answer = await deps.writeEach(request, reply, [{ value: event }], null);
      const result = answer.results[0]!;
      if ('error' in result) return reply.code(400).send(pdInvalid([result.error.message]));
    } else {
      const at = now();
      const changed = await store.transaction(async (tx) => {
        const hit = await tx.events.unresolvedByDedupKey(projectId, false, dedupKey);
        if (!hit) return false;
        const e = { id: hit.id, name: hit.name, test: false };
        return changeByKey(tx, { apiKeyId: request.apiKeyId!, projectId, seq: hit.seq, event: e, change: action === 'resolve' ? 'resolve' : 'ack', at, detail: { dedupKey, via: 'PagerDuty Events API v2' } });
      });
      if (changed) store.wakePush();
    }
    return reply.code(202).send(pdSuccess(dedupKey));
  }

  // The routing key is in the body: it is checked once the body is read.
  const pd = {
    ...API_KEY,
    bodyLimit: PD_BODY_BYTES,
    preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
      request.body = parseBody(rawOf(request), 'application/json');
      const key = (request.body as { routing_key?: unknown } | undefined)?.routing_key;
      if (typeof key !== 'string' || key === '') return reply.code(400).send(pdInvalid(["'routing_key' is missing or blank"]));
      try {
        await deps.checkKey(request, key);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (err.status === 429) return reply.code(429).headers(err.headers).send(pdThrottled());
        // PagerDuty answers an unknown routing key with 400 "invalid event"; so does this.
        return reply.code(400).send(pdInvalid(["'routing_key' is invalid: use a Switchboard API key of the project (Settings → API keys or Integrations)"]));
      }
    },
  };
  app.post('/v2/enqueue', doc(pd, { tag: 'Integrations', summary: "PagerDuty's Events API v2: trigger, acknowledge or resolve by dedup_key (routing_key = a Switchboard key)", status: 202 }), async (request, reply) =>
    enqueue(request, reply, request.body, request.apiKeyProject!),
  );
}

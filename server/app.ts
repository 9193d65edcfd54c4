/** buildApp(deps) → a Fastify instance. main.ts listens; tests use inject() or a real port. */
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyReply, type FastifyServerOptions, LogController } from 'fastify';
import { LIMITS } from '../contract/limits.ts';
import { actionRoutes } from './actions/routes.ts';
import { type PressScheduler, pressScheduler } from './requests/scheduler.ts';
import { authRoutes } from './auth/routes.ts';
import { sessionAuth } from './auth/session.ts';
import { baseUrl, type Config, fastifyTrustProxy, relyingParty } from './config.ts';
import { liveHub } from './feed/liveHub.ts';
import { type DecisionWaiters, decisionWaiters } from './decisions/waiters.ts';
import { type ReplySender, replySender } from './replies/sender.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { openApiRoutes } from './openapi/document.ts';
import { feedRoutes } from './feed/routes.ts';
import { triageRoutes } from './triage/routes.ts';
import { quietHoursRoutes } from './push/quietHoursRoutes.ts';
import { type TriageSweeper, triageSweeper } from './triage/sweeper.ts';
import { streamQuery, streamRoutes } from './feed/stream.ts';
import { streamRegistry } from './feed/streamRegistry.ts';
import { ApiError, fromFastifyError } from './http/errors.ts';
import { compression } from './http/compression.ts';
import { securityHeaders } from './http/securityHeaders.ts';
import { staticFiles } from './http/static.ts';
import { ingestRoutes } from './ingest/routes.ts';
import { integrationRoutes } from './integrations/routes.ts';
import { insightRoutes } from './insights/routes.ts';
import { pushRoutes } from './push/routes.ts';
import { loadVapidKeys } from './push/vapid.ts';
import type { AppStore } from './store/types.ts';
import { accessGuard, documentRoutes } from './http/access.ts';
import { healthRoutes, refuseWhileClosing } from './http/lifecycle.ts';
import { auditRoutes } from './audit/routes.ts';
import { accountRoutes } from './auth/account.ts';
import { isStoreUnavailable, STORE_RETRY_AFTER_S } from './store/unavailable.ts';
import { passwordResetRoutes } from './auth/passwordResets.ts';
import { projectRoutes } from './projects/routes.ts';
import { policyRoutes } from './policy/routes.ts';

export interface AppDeps {
  config: Config;
  /** The app's store (store/open.ts opens the configured one). */
  store: AppStore;
  now?: () => number;
  logger?: FastifyServerOptions['logger'];
  /** Shared with the push worker (main.ts); one of its own otherwise. */
  metrics?: Metrics;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends the presses that waited when they fall due. */
    pressScheduler: PressScheduler;
    decisionWaiters: DecisionWaiters;
    replySender: ReplySender;
    triageSweeper: TriageSweeper;
  }
}

export async function buildApp({ config, store, now = Date.now, logger = false, metrics = createMetrics() }: AppDeps) {
  const https = config.publicUrl?.startsWith('https:') ?? false;
  const app = Fastify({
    logger,
    bodyLimit: LIMITS.bodyBytes,
    // One line per ingested event would drown the log; errors and lifecycle are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // lifecycle.ts answers requests that arrive while closing, in the API's error shape.
    return503OnClosing: false,
    // Every log line of a request carries its id (reqId); a caller's X-Request-Id is kept when it is a
    // plain token, so a proxy's id follows the request through, and the answer says which it was.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // Errors Fastify raises before routing (a broken percent-escape, an over-long parameter) get
    // the contract's error shape too.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void (reply as unknown as FastifyReply).code(status).send({ error: { code: 'bad_request', message: error.message, field: null } });
    },
  });
  // The store announces committed live-log entries (this process's and, on PostgreSQL, every
  // instance's); the hub then reads the log and tells the open streams.
  const live = liveHub({ after: (seq, limit) => store.events.liveAfter(null, seq, null, limit), last: () => store.events.lastLiveSeq() }, (err) =>
    app.log.error({ err }, 'reading the live log failed'),
  );
  await live.start();
  const stopListening = await store.listenLive((upTo) => live.wake(upTo));
  const streams = streamRegistry();
  const auth = sessionAuth(store, now, https, { ssoOnly: config.oidc?.only ? { name: config.oidc.name } : null });

  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  // Before any hook that may refuse a request: a refusal carries the headers too.
  securityHeaders(app, https);
  refuseWhileClosing(app);
  // Parses the Cookie header in onRequest: before the access guard, which reads the session.
  await app.register(fastifyCookie);
  await compression(app);
  accessGuard(app, auth, store, config.publicUrl);
  // Every route declares its documentation with its access (doc()); lifecycle.ts and stream.ts register
  // theirs with bare access constants, so it is given here, by route, until they pass doc() themselves.
  const stream = { tag: 'Feed', summary: 'The live feed (Server-Sent Events; resumes after Last-Event-ID)', query: streamQuery } as const;
  documentRoutes(app, {
    'GET /healthz': { tag: 'Operations', summary: 'Liveness: the process answers (touches nothing)' },
    'GET /readyz': { tag: 'Operations', summary: 'Readiness: the store answers a read and a write; 503 while shutting down' },
    'GET /api/projects/:slug/stream': stream,
    'GET /api/stream': stream,
    'GET /api/all/stream': { tag: 'Feed', summary: 'The live feed across all your projects (Server-Sent Events; resumes after Last-Event-ID)', query: streamQuery },
  });
  healthRoutes(app, store);
  // Someone's access changed (here or on another instance): their streams close and reconnect under it.
  const stopAccess = store.onAccessChange((userId) => streams.closeUser(userId));

  app.setErrorHandler(async (err, request, reply) => {
    const apiError = err instanceof ApiError ? err : fromFastifyError(err as Error & { code?: string; statusCode?: number }, request.routeOptions.bodyLimit);
    if (apiError) {
      return reply.code(apiError.status).headers(apiError.headers).send(apiError.body());
    }
    if (isStoreUnavailable(err)) {
      // The database is away (restarting, failing over, down): say so, and when to come back.
      metrics.storeUnavailable.inc();
      request.log.warn({ err: (err as Error).message }, 'store unavailable');
      return reply
        .code(503)
        .header('retry-after', String(STORE_RETRY_AFTER_S))
        .send({ error: { code: 'store_unavailable', message: 'the database cannot be reached right now: try again shortly', field: null } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal_error', message: 'something went wrong on the server', field: null } });
  });

  // Long polls on decisions (§11) end from the same live log the streams read.
  const waiters = decisionWaiters(live, now);
  app.decorate('decisionWaiters', waiters);
  await app.register(ingestRoutes, { store, now, rateLimitPerMinute: config.ingestRateLimit, metrics, waiters });
  await app.register(metricsRoutes, { store, metrics, streams, waiters, token: config.metricsToken, now });
  await app.register(authRoutes, {
    store,
    auth,
    now,
    // A session signed out: its live streams on this instance end with it, on every tab.
    sessionEnded: (userId, sessionHash) => streams.closeSession(userId, sessionHash),
    remoteImages: config.remoteImages,
    webhookTimeoutMs: config.webhookTimeoutMs,
    // Passkeys' relying party: PUBLIC_URL's host and origin (localhost without it).
    relyingParty: relyingParty(config),
    // Single sign-on (OIDC_*): its routes are registered either way and answer 404 without it.
    oidc: config.oidc,
    secureCookies: https,
  });
  await app.register(feedRoutes, { store, auth, now });
  await app.register(triageRoutes, { store, auth, now });
  await app.register(quietHoursRoutes, { store, auth, now });
  // Snoozed events come back when their time comes: main.ts starts the sweep; tests tick it.
  const sweeper = triageSweeper({ store, now, log: app.log.child({ module: 'triage' }) });
  app.decorate('triageSweeper', sweeper);
  app.addHook('onClose', () => sweeper.stop());
  // Invite and reset links are built from configuration only (PUBLIC_URL, or HOST and PORT), never
  // from a request's Host or X-Forwarded-Host.
  const linkBase = baseUrl(config);
  await app.register(projectRoutes, { store, auth, now, linkBase });
  await app.register(policyRoutes, { store, auth, now });
  await app.register(integrationRoutes, { store, auth, now, linkBase });
  await app.register(auditRoutes, { store });
  await app.register(insightRoutes, { store, now });
  await app.register(accountRoutes, { store, auth, now });
  await app.register(passwordResetRoutes, { store, auth, now, linkBase });
  await app.register(streamRoutes, { store, auth, live, streams });
  const pressDeps = {
    store,
    now,
    timeoutMs: config.webhookTimeoutMs,
    leaseMarginMs: config.pressLeaseMarginMs,
    allowPrivate: config.webhookAllowPrivate,
    keepPrivateResponses: config.webhookKeepPrivateResponses,
    metrics,
  };
  // Presses that wait (approvals, a delay) are sent when they fall due: main.ts starts it once the
  // server listens; tests drive it with `tick`.
  // Decisions owed to replyUrls (§11): main.ts starts the sender; tests drive it with `tick`.
  const replies = replySender({ store, now, timeoutMs: config.webhookTimeoutMs, allowPrivate: config.webhookAllowPrivate, log: app.log.child({ module: 'replies' }) });
  app.decorate('replySender', replies);
  app.addHook('onClose', () => replies.stop());
  const scheduler = pressScheduler({ ...pressDeps, wakeReplies: replies.wake, log: app.log.child({ module: 'press-requests' }) });
  app.decorate('pressScheduler', scheduler);
  app.addHook('onClose', () => scheduler.stop());
  await app.register(actionRoutes, { ...pressDeps, wakeReplies: replies.wake, auth, scheduler });
  // The sender is started by main.ts (startPushWorker); ingest and these routes only fill the outbox.
  await app.register(pushRoutes, {
    store,
    auth,
    now,
    publicKey: (await loadVapidKeys(store, config.vapidSubject)).publicKey,
    endpointHosts: config.pushEndpointHosts,
  });
  await app.register(openApiRoutes);
  await staticFiles(app, config.distDir);

  // Nothing awaited before the server stops accepting: a connection opened in that window would be
  // an idle keep-alive that holds the shutdown for seconds.
  app.addHook('preClose', async () => live.closeAll());
  app.addHook('onClose', async () => {
    stopAccess();
    await stopListening?.();
  });
  return app;
}

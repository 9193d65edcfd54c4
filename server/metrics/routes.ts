/**
 * GET /metrics: Prometheus text format behind a Bearer METRICS_TOKEN; with no token configured the
 * route does not exist (404). Gauges that live in the store (the push queue) are read at scrape time.
 */
import type { DecisionWaiters } from '../decisions/waiters.ts';
import type { FastifyInstance } from 'fastify';
import { sameSecret } from '../auth/tokens.ts';
import { ApiError } from '../http/errors.ts';
import { doc, METRICS } from '../http/access.ts';
import type { StreamRegistry } from '../feed/streamRegistry.ts';
import type { AppStore } from '../store/types.ts';
import type { Metrics } from './metrics.ts';

export interface MetricsRoutesOptions {
  store: AppStore;
  metrics: Metrics;
  streams: StreamRegistry;
  /** The long polls on decisions, counted at each scrape. */
  waiters: Pick<DecisionWaiters, 'count'>;
  token: string | null;
  now: () => number;
}

export async function metricsRoutes(app: FastifyInstance, { store, metrics, streams, waiters, token, now }: MetricsRoutesOptions) {
  if (token === null) return;
  const documented = doc(METRICS, { tag: 'Operations', summary: 'Prometheus metrics (Bearer METRICS_TOKEN; 404 when none is set)' });
  app.get('/metrics', documented, async (request, reply) => {
    const given = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!given || !sameSecret(given, token)) {
      throw new ApiError(401, 'invalid_metrics_token', 'send METRICS_TOKEN as "Authorization: Bearer <token>"', null, { 'www-authenticate': 'Bearer' });
    }
    metrics.liveStreams.set(streams.count());
    metrics.decisionWaits.set(waiters.count());
    const queue = await store.push.queue();
    metrics.pushQueued.set(queue.queued);
    metrics.pushOldestAge.set(queue.oldestCreatedAt === null ? 0 : Math.max(0, (now() - queue.oldestCreatedAt) / 1000));
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

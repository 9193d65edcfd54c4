/**
 * What `/metrics` exposes (CONTRACT §9), on a registry of its own per app (tests build many apps in
 * one process). Labels take only values from small fixed sets, and a project's slug: never an event
 * name, a user id or a URL, so the number of series stays bounded whatever clients send.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type IngestOutcome = 'accepted' | 'replayed' | 'rejected' | 'unauthorized' | 'rate_limited' | 'error';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const WEBHOOK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    eventsIngested: new Counter({
      name: 'switchboard_events_ingested_total',
      help: 'Ingest requests by project (its slug; "none" when no valid key) and outcome.',
      labelNames: ['project', 'outcome'] as const,
      registers,
    }),
    ingestDuration: new Histogram({
      name: 'switchboard_ingest_duration_seconds',
      help: 'Time from an ingest request to its answer, in seconds.',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    storeUnavailable: new Counter({
      name: 'switchboard_store_unavailable_total',
      help: 'Requests answered 503 store_unavailable because the database could not be reached.',
      registers,
    }),
    liveStreams: new Gauge({ name: 'switchboard_live_streams', help: 'Live streams (SSE) open on this instance.', registers }),
    decisionWaits: new Gauge({ name: 'switchboard_decision_waits', help: 'Long polls on decisions (?wait=) open on this instance.', registers }),
    presses: new Counter({
      name: 'switchboard_presses_total',
      help: 'Webhook action presses by outcome (refused: expired, running, already done, not allowed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    webhookDuration: new Histogram({
      name: 'switchboard_webhook_duration_seconds',
      help: 'Time a webhook receiver took to answer a press, in seconds, by outcome.',
      labelNames: ['outcome'] as const,
      buckets: WEBHOOK_BUCKETS,
      registers,
    }),
    pushes: new Counter({
      name: 'switchboard_pushes_total',
      help: 'Push messages by outcome: sent, failed (given up, or the device is gone), retried.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    pushQueued: new Gauge({ name: 'switchboard_push_queued', help: 'Push messages waiting to be sent (every instance: the queue is in the store).', registers }),
    pushOldestAge: new Gauge({
      name: 'switchboard_push_oldest_queued_age_seconds',
      help: 'Age of the oldest push message still waiting, in seconds (0 when none waits).',
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

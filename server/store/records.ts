/**
 * What both stores answer with, besides events (see eventRows.ts): the rows of accounts, keys, action
 * attempts and push deliveries as the repositories return them, the rules of time both keep alike,
 * and the refusal of a store written by a newer release.
 */
import type { AttemptDto, UserRole } from '../../contract/api.ts';
import type { JsonValue } from '../../contract/ingest.ts';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** How stale `last_used_at` may get before an ingest writes it again (saves a write per event). */
export const LAST_USED_GRANULARITY_MS = 60_000;

/** How long an Idempotency-Key answer is kept and given again. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: UserRole;
  created_at: number;
}

export interface StartedAttempt {
  kind: 'started';
  number: number;
  url: string;
  buttonText: string;
  meta: JsonValue;
}

export type Refusal = 'not_found' | 'external' | 'expired' | 'running' | 'done';

export interface AttemptRow {
  id: string;
  action_key: string;
  number: number;
  pressed_by_email: string;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  outcome: 'succeeded' | 'failed' | null;
  status_code: number | null;
  reason: string | null;
  response_excerpt: string | null;
}

export interface AttemptFinish {
  ok: boolean;
  status: number | null;
  reason: string | null;
  durationMs: number;
  responseExcerpt: string;
}

const iso = (t: number) => new Date(t).toISOString();

export function toAttemptDto(r: AttemptRow): AttemptDto {
  return {
    id: r.id,
    actionKey: r.action_key,
    number: r.number,
    pressedBy: r.pressed_by_email,
    startedAt: iso(r.started_at),
    finishedAt: r.finished_at === null ? null : iso(r.finished_at),
    durationMs: r.duration_ms,
    outcome: r.outcome,
    status: r.status_code,
    reason: r.reason,
    response: r.response_excerpt,
  };
}

export type PushKind = 'event' | 'test';

export interface SubscriptionInput {
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  deviceName: string;
  /** The endpoint this one replaces (pushsubscriptionchange); removed when it is this user's. */
  oldEndpoint: string | null;
  now: number;
}

export interface DeviceRow {
  id: string;
  device_name: string;
  created_at: number;
  last_seen_at: number;
}

/** A delivery claimed for sending, with what is needed to send it. */
export interface DueDelivery {
  id: number;
  kind: PushKind;
  event_seq: number | null;
  subscription_id: string;
  attempts: number;
  created_at: number;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** The store was written by a newer release than this code: refusing beats corrupting it. */
export class SchemaTooNew extends Error {}

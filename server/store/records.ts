import type { KeyScope } from '../../contract/api.ts';
/**
 * What both stores answer with, besides events (see eventRows.ts): the rows of accounts, keys, action
 * attempts and push deliveries as the repositories return them, the rules of time both keep alike,
 * and the refusal of a store written by a newer release.
 */
import type { Selectable } from 'kysely';
import type { ActionAttemptsTable, PasswordResetsTable } from './sql/schema.ts';
import type { AttemptDto, AuditKind, ProjectRole, UserRole } from '../../contract/api.ts';
import type { JsonValue } from '../../contract/ingest.ts';

export interface ApiKeyRow {
  id: string;
  project_id: number;
  name: string;
  prefix: string;
  scope: KeyScope;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** Who made it (null: the CLI, or an account no longer there). */
  created_by: string | null;
  created_by_email: string | null;
}

export interface NewApiKey {
  id: string;
  projectId: number;
  name: string;
  prefix: string;
  keyHash: string;
  scope: KeyScope;
  createdBy: string | null;
  now: number;
}

/** An API key that may write: its id and its project. */
export interface ActiveKey {
  id: string;
  projectId: number;
  scope: KeyScope;
}

/** How stale `last_used_at` may get before an ingest writes it again (saves a write per event). */
export const LAST_USED_GRANULARITY_MS = 60_000;

/** How long an Idempotency-Key answer is kept and given again. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  name: string;
  role: UserRole;
  created_at: number;
}

export interface StartedAttempt {
  kind: 'started';
  number: number;
  url: string;
  buttonText: string;
  meta: JsonValue;
  /** A reply action (§11): its press records the decision instead of calling a URL. */
  reply: boolean;
}

/** Why a press did not start; `awaiting_approval` and `scheduled`: another press of it waits (§10). */
export type Refusal = 'not_found' | 'external' | 'expired' | 'running' | 'done' | 'awaiting_approval' | 'scheduled' | 'decided';

/** A press's attempt as its table holds it (server/store/sql/schema.ts). */
export type AttemptRow = Selectable<ActionAttemptsTable>;

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
    input: r.input ?? null,
  };
}

export type PushKind = 'event' | 'test';

export interface SubscriptionInput {
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  deviceName: string;
  /** The language the device's app shows; null or absent: keep what was saved (the service worker does not know it). */
  locale?: string | null;
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
  /** Whose device it is: an event's push goes only to members who want it. */
  user_id: string;
  attempts: number;
  created_at: number;
  /** A notice that replaces the event's push (`action:<key>`, `handled`); null: the event's push itself. */
  notice: string | null;
  endpoint: string;
  p256dh: string;
  auth: string;
  /** The device's language for the push's fixed words; null: English. */
  locale: string | null;
}

/** The store was written by a newer release than this code: refusing beats corrupting it. */
export class SchemaTooNew extends Error {}

export interface ProjectRow {
  id: number;
  slug: string;
  name: string;
  created_at: number;
}

/** A project row with one person's own role in it (null: not a member; owners are admin of all). */
export interface ProjectAccess extends ProjectRow {
  member_role: ProjectRole | null;
}

export interface MemberRow {
  user_id: string;
  name: string;
  email: string;
  /** The member row's role; an owner without a row is listed as admin. */
  role: ProjectRole;
  owner: boolean;
  created_at: number;
}

/** A person in a project's members list, with what Settings → Members shows of them. */
export interface MemberListRow extends MemberRow {
  /** Their latest session's last use (ms), null when they have no session (never signed in, or signed out everywhere). */
  last_active_at: number | null;
  /** The project's pushes would reach them: their choice for it is on (no choice stored: on — shared/projects.ts, choices) and they have a subscribed device. */
  notifications: boolean;
}

export interface InviteRow {
  id: string;
  project_id: number;
  role: ProjectRole;
  created_by: string | null;
  created_by_email: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export interface NewInvite {
  id: string;
  projectId: number;
  role: ProjectRole;
  tokenHash: string;
  createdBy: string | null;
  now: number;
  expiresAt: number;
}

export interface AuditRow {
  id: number;
  at: number;
  actor_id: string | null;
  actor_email: string;
  kind: AuditKind;
  subject: string | null;
  detail: string | null;
  address: string | null;
  /** For `action.pressed`: its attempt's outcome (null while running, or when the event is gone). */
  attempt_outcome: 'succeeded' | 'failed' | null;
  attempt_reason: string | null;
  attempt_status: number | null;
  /** Whether the press's attempt still exists (an event deleted takes its attempts with it). */
  attempt_found: boolean;
}

export interface NewAuditEntry {
  projectId: number;
  at: number;
  actorId: string | null;
  actorEmail: string;
  kind: AuditKind;
  subject: string | null;
  detail?: JsonValue;
  /** The client's address, as the server saw it after the proxy rule (null: the CLI). */
  address: string | null;
}

/** A one-time password-reset link (only its token's hash is kept), as its table holds it. */
export type PasswordResetRow = Selectable<PasswordResetsTable>;

/** Pending invites, newest first: a page starts after this (created_at, id). */
export interface InviteCursor {
  createdAt: number;
  id: string;
}

export interface AuditQuery {
  projectId: number;
  /** Entries older than this id (the cursor). */
  before: number | null;
  limit: number;
  actorId: string | null;
  /** Only these kinds (null: all). */
  kinds: readonly AuditKind[] | null;
  /** Only presses that ended so (`refused`: the refused ones). */
  outcome: 'succeeded' | 'failed' | 'refused' | null;
}

/** A person's notification choices for one project (no row: on, nothing muted). */
export interface NotificationPrefs {
  enabled: boolean;
  muted: string[];
}

/** Who may get an event's push in a project: members and owners, with their choices. */
export interface Recipient {
  user_id: string;
  /** Their role in the project (owners: admin), which decides the actions their push offers. */
  role: ProjectRole;
  enabled: boolean;
  muted: string[];
}

export const DEFAULT_PROJECT_ID = 1;

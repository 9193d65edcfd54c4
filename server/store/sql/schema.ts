/**
 * The tables as both engines hold them, for Kysely's typed queries (`sql/`). The migrations are the
 * truth (one file per engine and version); this is what the shared repositories may read and write.
 * Times are epoch milliseconds. Booleans are 0/1 in SQLite and BOOLEAN in PostgreSQL: they read as
 * `Bool` and go through `bool()`; written, `true`/`false` (the SQLite runner binds them as 1/0).
 */
import type { ColumnType, Generated } from 'kysely';
import type { ActionState } from '../../../contract/api.ts';
import type { Risk } from '../../../contract/policy.ts';
import type { RequestStatus } from '../../../contract/requests.ts';
import type { ActivityKind } from '../../../contract/triage.ts';

/** A boolean column as read back: 0/1 from SQLite, true/false from PostgreSQL. */
export type Bool = ColumnType<boolean | number, boolean, boolean>;
/** Reads a `Bool` column. */
export const bool = (v: boolean | number | null | undefined): boolean => Boolean(v);

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  role: 'owner' | 'member';
  created_at: number;
  name: ColumnType<string, string | undefined, string>;
  /** The language chosen in Settings → Account; null: the browser's. */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  /** When the person last proved who they are in this session (sign-in, password or passkey). */
  proven_at: number | null;
}

export interface ProjectPoliciesTable {
  project_id: number;
  /** contract/policy.ts PolicyDocument, as JSON. */
  document: string;
  updated_at: number;
  updated_by: string | null;
}

/** A person's passkeys (WebAuthn); see migration 017. */
export interface PasskeysTable {
  /** The credential id (base64url). */
  id: string;
  user_id: string;
  /** The COSE public key: a Buffer from either engine. */
  public_key: Uint8Array;
  counter: number;
  /** Comma-separated transports. */
  transports: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/** One-time WebAuthn challenges, each taken once. */
export interface PasskeyChallengesTable {
  challenge: string;
  purpose: 'register' | 'sign_in' | 'step_up';
  user_id: string | null;
  session_hash: string | null;
  expires_at: number;
}

/** An account's identity at the single sign-on provider (issuer and subject); see migration 023. */
export interface OidcIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: number;
  last_sign_in_at: number;
}

/** A sign-in on its way through the provider, found by the hash of its cookie and taken once. */
export interface OidcLoginsTable {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  expires_at: number;
}

export interface ApiKeysTable {
  id: string;
  project_id: number;
  name: string;
  prefix: string;
  key_hash: string;
  scope: 'ingest' | 'read';
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface IdempotencyTable {
  api_key_id: string;
  key: string;
  /** The answer as JSON text. */
  response: string;
  created_at: number;
}

export interface EventsTable {
  seq: Generated<number>;
  project_id: number;
  id: string;
  api_key_id: string | null;
  name: string | null;
  avatar: string | null;
  type: string;
  content: string | null;
  category: string | null;
  notify: Bool;
  test: Bool;
  context_id: string | null;
  context_start: Bool;
  user_id: string | null;
  parent_seq: number | null;
  thread_count: Generated<number>;
  created_at: number;
  handled_at: number | null;
  handled_by_email: string | null;
  /** §11: where the decision is POSTed, and the decision (set once, by a guarded UPDATE). */
  reply_url: string | null;
  decision_key: string | null;
  decision_input: string | null;
  decided_by: string | null;
  decided_email: string | null;
  decided_name: string | null;
  decided_at: number | null;
  /** §12: acknowledged (handled_at is the resolution), assignee, snooze, deduplication, escalation. */
  acked_at: number | null;
  acked_by_email: string | null;
  assignee_id: string | null;
  snoozed_until: number | null;
  urgent: ColumnType<boolean | number, boolean | undefined, boolean>;
  dedup_key: string | null;
  seen_count: Generated<number>;
  last_seen_at: number | null;
  escalated_at: number | null;
}

/** A person's quiet hours (§12); see migration 020. */
export interface IntegrationsTable {
  id: string;
  project_id: number;
  source: string;
  api_key_id: string;
  signing_secret: string | null;
  created_by: string | null;
  created_at: number;
}

export interface QuietHoursTable {
  user_id: string;
  from_minute: number;
  to_minute: number;
  time_zone: string;
  updated_at: number;
}

/** An event's timeline (§12): changes of state, assignee, snooze, and notes; see migration 019. */
export interface EventActivityTable {
  id: string;
  event_seq: number;
  kind: ActivityKind;
  by_id: string | null;
  by_email: string;
  by_name: string;
  at: number;
  text: string | null;
  detail: string | null;
}

export interface ActionsTable {
  event_seq: number;
  key: string;
  position: number;
  button_text: string;
  url: string;
  external: Bool;
  expires_at: number;
  meta: string | null;
  repeat: Bool;
  emphasis: string | null;
  role: string | null;
  risk: Generated<string>;
  confirm_text: string | null;
  state: Generated<ActionState>;
  attempts: Generated<number>;
  lease_until: number | null;
  /** The action's newest press request (approvals, a delay), when it had one. */
  request_id: string | null;
  /** A reply action (§11): its press records the event's decision. */
  reply: ColumnType<boolean | number, boolean | undefined, boolean>;
  /** contract/decisions.ts ActionInputSpec as JSON. */
  input: string | null;
  /** §12: its success resolves its event. */
  resolves: ColumnType<boolean | number, boolean | undefined, boolean>;
}

/** A press that waits for approvals and then its delay (§10); see migration 016. */
export interface PressRequestsTable {
  id: string;
  event_seq: number;
  action_key: string;
  project_id: number;
  status: RequestStatus;
  risk: Risk;
  needed: number;
  /** JSON: [{id, email, at}] in order (the press_approvals rows are what counts). */
  approved_by: Generated<string>;
  requested_by: string;
  requested_email: string;
  requested_at: number;
  expires_at: number;
  delay_seconds: number;
  runs_at: number | null;
  webhook_id: string;
  prior_state: ActionState;
  ended_by: string | null;
  ended_email: string | null;
  ended_at: number | null;
  reason: string | null;
  /** What the presser typed (§11), kept until the press is sent. */
  input: string | null;
}

export interface PressApprovalsTable {
  request_id: string;
  user_id: string;
  email: string;
  at: number;
}

export interface ActionAttemptsTable {
  id: string;
  event_seq: number;
  action_key: string;
  number: number;
  pressed_by: string | null;
  pressed_by_email: string;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  outcome: 'succeeded' | 'failed' | null;
  status_code: number | null;
  reason: string | null;
  response_excerpt: string | null;
  input: string | null;
}

/** The decision POSTed to an event's replyUrl (§11); see migration 018. */
export interface ReplyDeliveriesTable {
  event_seq: number;
  project_id: number;
  webhook_id: string;
  status: 'pending' | 'delivered' | 'gave_up';
  created_at: number;
  next_attempt_at: number;
  lease_until: number | null;
  attempts: Generated<number>;
  last_at: number | null;
  last_status: number | null;
  last_reason: string | null;
  last_duration_ms: number | null;
}

export interface LiveLogTable {
  seq: Generated<number>;
  kind: string;
  event_seq: number;
  event_id: string | null;
  project_id: number | null;
  test: Bool;
  created_at: number;
}

export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  device_name: string;
  created_at: number;
  last_seen_at: number;
  /** The language the device's app shows (its pushes' words); null: English. */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PushOutboxTable {
  id: Generated<number>;
  kind: 'event' | 'test';
  event_seq: number | null;
  user_id: string | null;
  notice: string | null;
  created_at: number;
}

export interface PushDeliveriesTable {
  id: Generated<number>;
  kind: 'event' | 'test';
  event_seq: number | null;
  subscription_id: string;
  notice: string | null;
  attempts: Generated<number>;
  next_attempt_at: number;
  created_at: number;
}

export interface PushSentTable {
  event_seq: number;
  subscription_id: string;
  sent_at: number;
}

export interface ProjectsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  webhook_secret: string | null;
  created_at: number;
}

export interface ProjectMembersTable {
  project_id: number;
  user_id: string;
  role: 'viewer' | 'member' | 'admin';
  created_at: number;
}

export interface InvitesTable {
  id: string;
  project_id: number;
  role: 'viewer' | 'member' | 'admin';
  token_hash: string;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by: string | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  project_id: number;
  at: number;
  actor_id: string | null;
  actor_email: string;
  kind: string;
  subject: string | null;
  /** JSON text. */
  detail: string | null;
  address: string | null;
}

export interface NotificationPrefsTable {
  user_id: string;
  project_id: number;
  enabled: Bool;
  /** JSON text: an array of category names. */
  muted: string;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  /** The project whose admin made it (null: made by an owner outside any project's authority). */
  project_id: number | null;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  /** The target's state when it was made: using it requires the same state. */
  fingerprint: string;
}

export interface EventCountsTable {
  project_id: number;
  test: Bool;
  hour: number;
  category: string;
  count: number;
}

export interface EventNameCountsTable {
  project_id: number;
  test: Bool;
  day: number;
  name: string;
  count: number;
}

export interface CategoryCountsTable {
  project_id: number;
  test: Bool;
  category: string;
  count: number;
}

export interface PushCountsTable {
  project_id: number;
  hour: number;
  sent: number;
  failed: number;
}

export interface Schema {
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  settings: SettingsTable;
  idempotency: IdempotencyTable;
  events: EventsTable;
  actions: ActionsTable;
  project_policies: ProjectPoliciesTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
  oidc_identities: OidcIdentitiesTable;
  oidc_logins: OidcLoginsTable;
  press_requests: PressRequestsTable;
  press_approvals: PressApprovalsTable;
  action_attempts: ActionAttemptsTable;
  event_activity: EventActivityTable;
  quiet_hours: QuietHoursTable;
  integrations: IntegrationsTable;
  reply_deliveries: ReplyDeliveriesTable;
  live_log: LiveLogTable;
  push_subscriptions: PushSubscriptionsTable;
  push_outbox: PushOutboxTable;
  push_deliveries: PushDeliveriesTable;
  push_sent: PushSentTable;
  projects: ProjectsTable;
  project_members: ProjectMembersTable;
  invites: InvitesTable;
  audit_log: AuditLogTable;
  notification_prefs: NotificationPrefsTable;
  password_resets: PasswordResetsTable;
  event_counts: EventCountsTable;
  event_name_counts: EventNameCountsTable;
  category_counts: CategoryCountsTable;
  push_counts: PushCountsTable;
}

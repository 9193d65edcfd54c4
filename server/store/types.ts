/**
 * The store's interface: what routes, the press, the push worker and the live channel may ask of the
 * data, whatever engine holds it. Written by hand, above both engines: SQLite (`sqlite/`) and
 * PostgreSQL (`postgres/`) each implement it, and the conformance suite runs one list of behaviours
 * against both. Nothing outside `server/store/` imports an engine; it asks `open.ts` for an `AppStore`.
 *
 * Every call returns a promise. "Call inside a transaction" means: through the `tx` that
 * `AppStore.transaction` hands its function, so the step and the ones around it commit or fail together.
 */
import type { AttemptDto, CategoryCount, DeletedEventRef, EventDto, LiveKind, ProjectProgress, ProjectRole } from '../../contract/api.ts';
import type { FeedCursor, FeedQuery, InsertedEvent, LiveEntry, NewEvent, ProjectScope, RemovedEvents } from './eventRows.ts';
import type { InsightQuery, InsightRows, PushOutcome } from './insightRows.ts';
import type { Selectable } from 'kysely';
import type { Risk } from '../../contract/policy.ts';
import type { PersonRef } from '../../contract/requests.ts';
import type { PressRequestsTable, ReplyDeliveriesTable } from './sql/schema.ts';
import type { ActivityDto, ActivityKind, PersonDto, StateChange, TriageCounts } from '../../contract/triage.ts';
import type { QuietHours } from '../../contract/quietHours.ts';
import type { IntegrationSource } from '../../contract/integrations.ts';
import type {
  ActiveKey,
  ApiKeyRow,
  AttemptFinish,
  AuditQuery,
  AuditRow,
  DeviceRow,
  DueDelivery,
  InviteCursor,
  InviteRow,
  MemberListRow,
  NewApiKey,
  NewAuditEntry,
  NewInvite,
  NotificationPrefs,
  PasswordResetRow,
  ProjectAccess,
  ProjectRow,
  Recipient,
  Refusal,
  StartedAttempt,
  SubscriptionInput,
  UserRow,
} from './records.ts';

/** Installation-wide settings: small key/value pairs (the pending setup token's hash, the VAPID keys). */
export interface SettingsRepository {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<boolean>;
  /** Stores `value` unless the key has one; returns the stored value (whoever wrote it first). */
  setIfAbsent(key: string, value: string): Promise<string>;
}

/** Accounts: owners of the installation, and everyone else (whose access is per project). */
export interface UsersRepository {
  create(email: string, passwordHash: string, role: UserRow['role'], now: number, name?: string): Promise<UserRow>;
  setPassword(id: string, passwordHash: string): Promise<void>;
  setName(id: string, name: string): Promise<void>;
  /** The language chosen in Settings → Account; null: follow the browser. */
  setLocale(id: string, locale: string | null): Promise<void>;
  /** Makes someone an owner of the installation, or a plain account again. */
  setRole(id: string, role: UserRow['role']): Promise<boolean>;
  ownerCount(): Promise<number>;
  /** false when another account has this email (compared without case). */
  setEmail(id: string, email: string): Promise<boolean>;
  /** The account with this email, compared without case. */
  byEmail(email: string): Promise<UserRow | undefined>;
  byId(id: string): Promise<UserRow | undefined>;
  count(): Promise<number>;
  /** Held until the transaction ends, so that counting owners and changing one is one step. */
  lockOwners(): Promise<void>;
}

/** A signed-in session as the cookie's hash finds it, with its account. */
export interface SessionRow {
  token_hash: string;
  expires_at: number;
  last_seen_at: number;
  /** When the person last proved who they are in this session (signing in counts). */
  proven_at: number;
  user_id: string;
  email: string;
  name: string;
  role: UserRow['role'];
  /** The language the person chose; null: their browser's. */
  locale: string | null;
}

/** Sign-in sessions, kept as the hash of the cookie's token. */
export interface SessionsRepository {
  create(tokenHash: string, userId: string, now: number, expiresAt: number): Promise<void>;
  /** The session unless it has expired at `now`. */
  find(tokenHash: string, now: number): Promise<SessionRow | undefined>;
  touch(tokenHash: string, now: number, expiresAt: number): Promise<void>;
  /** The person proved who they are again (step-up) at `at`. */
  prove(tokenHash: string, at: number): Promise<void>;
  remove(tokenHash: string): Promise<void>;
  purgeExpired(now: number): Promise<number>;
  /** Ends every session of a person but one (`keep`; null: all of them); returns how many ended. */
  removeOthers(userId: string, keep: string | null): Promise<number>;
  /** Keeps a person's `keep` newest sessions (`newest`, just made, among them) and ends the older ones; returns how many ended. */
  trim(userId: string, newest: string, keep: number): Promise<number>;
}

/** API keys: SHA-256 hashes of high-entropy secrets shown once, each writing into one project. */
export interface ApiKeysRepository {
  create(row: NewApiKey): Promise<ApiKeyRow>;
  /** The key with this hash, unless revoked: its id, the project it writes into, its scope. */
  activeByHash(hash: string): Promise<ActiveKey | null>;
  list(projectId: number): Promise<ApiKeyRow[]>;
  /** Revokes a key of this project; returns its name (null: no such active key here). */
  revoke(projectId: number, id: string, now: number): Promise<string | null>;
  /** Revokes every key of a project (it is being deleted). */
  revokeProject(projectId: number, now: number): Promise<number>;
  /** Revokes the active keys of a project that one person made; returns their names. */
  revokeMadeBy(projectId: number, userId: string, now: number): Promise<string[]>;
  /** How many keys of a project are active (for the cap). */
  activeCount(projectId: number): Promise<number>;
  /** A key's name, revoked or not: the event page says which key sent an event. */
  nameOf(id: string): Promise<{ name: string; revoked: boolean } | null>;
  /** Notes the key's use, at most once a minute (LAST_USED_GRANULARITY_MS). */
  markUsed(id: string, now: number): Promise<void>;
}

/** Idempotency-Key answers, per API key, kept for 24 hours. */
export interface IdempotencyRepository {
  find(apiKeyId: string, key: string, now: number): Promise<unknown | null>;
  save(apiKeyId: string, key: string, response: unknown, now: number): Promise<void>;
  /**
   * The first answer for this key, or null after taking the key for the caller's transaction (which
   * then stores its answer with `save`). Call inside that transaction.
   */
  claim(apiKeyId: string, key: string, now: number): Promise<unknown | null>;
  purgeExpired(now: number): Promise<number>;
}

/** Events, their threads, the feed, deletion, and the live log every open app replays from. */
export interface EventsRepository {
  /** Writes the event, its actions, its search entry and its live-log row. Call inside a transaction. */
  insert(event: NewEvent): Promise<InsertedEvent>;
  /**
   * §12: when the event has a dedupKey and an unresolved event of its project (and mode) has the same
   * key, updates that one in place (content, lastSeenAt, count + 1, its live entry) and returns it;
   * null: there is none (insert it). Call inside a transaction.
   */
  dedup(event: NewEvent): Promise<{ seq: number; id: string; createdAt: number } | null>;
  /** The unresolved event of a project (and mode) with this dedupKey, untouched (PagerDuty's acknowledge, §13). */
  unresolvedByDedupKey(projectId: number, test: boolean, dedupKey: string): Promise<{ seq: number; id: string; name: string | null; createdAt: number } | null>;
  /** Several events in arrival order, as `insert` one after another. Call inside a transaction. */
  insertMany(items: NewEvent[]): Promise<InsertedEvent[]>;
  /** A page of the feed, newest first; `projectIds[i]` is the project of `events[i]`. */
  feed(q: FeedQuery): Promise<{ events: EventDto[]; projectIds: number[]; next: FeedCursor | null }>;
  byId(id: string): Promise<{ event: EventDto; seq: number; projectId: number; apiKeyId: string | null } | null>;
  bySeq(seq: number): Promise<EventDto | null>;
  /**
   * Records the answer to the event's question (§11) if it has none yet: one guarded UPDATE, so of two
   * answers made at once (two instances) exactly one is kept. False: it was already decided.
   */
  decide(seq: number, answer: { key: string; input: string | null; by: { id: string; email: string; name: string }; at: number }): Promise<boolean>;
  /** The project an event belongs to (null: no such event). */
  projectIdOf(id: string): Promise<number | null>;
  /** The events of the thread its opener `parentSeq` starts, oldest first. */
  thread(parentSeq: number): Promise<EventDto[]>;
  /** The categories of a project's events in one mode, with their counts. */
  categories(projectId: number, test: boolean): Promise<CategoryCount[]>;
  /** Forgets live-log entries older than `before` (a client that far behind reloads its pages). */
  pruneLive(before: number): Promise<number>;
  lastLiveSeq(): Promise<number>;
  /** Appends to the live log (call inside the transaction that made the change). */
  recordLive(kind: Exclude<LiveKind, 'delete'>, seq: number, test: boolean, at: number): Promise<number>;
  /**
   * Deletes an event and the events of the thread it opens (their actions, attempts, pushes and search
   * entries with them); an event inside a thread leaves its opener's count one lower. Its older live
   * entries go too (a replay could not show them). Call inside a transaction.
   */
  remove(seq: number): Promise<RemovedEvents | null>;
  /** Housekeeping of the search index after deletions (SQLite's FTS5 merges; PostgreSQL: nothing). */
  compactSearch(): Promise<void>;
  /** Up to `limit` threads (top-level events, lone ones included) of a project and mode whose newest event is older than `before`. */
  expiredThreads(projectId: number, test: boolean, before: number, limit: number): Promise<number[]>;
  /** Appends the live-log entry that tells every open app an event is gone (in the deleting transaction). */
  recordDeletion(ref: DeletedEventRef, seq: number, projectId: number, at: number): Promise<number>;
  /** How many live-log entries of a project (or several) follow `after` in one mode, counting no further than `cap`. */
  countLiveAfter(projects: ProjectScope, after: number, test: boolean, cap: number): Promise<number>;
  /** Live-log entries after `after` of one project or several (null: all) in one mode (null: both), oldest first, with their events. */
  liveAfter(projects: ProjectScope | null, after: number, test: boolean | null, limit: number): Promise<LiveEntry[]>;
}

/** The webhook action state machine and its attempts: one guarded step starts a press, so two presses start one request. */
export interface ActionsRepository {
  /** Moves the action to `running` (held until `leaseUntil`) if it may run now; call inside a transaction. */
  start(eventSeq: number, key: string, now: number, leaseUntil: number): Promise<StartedAttempt | { kind: 'refused'; why: Refusal }>;
  recordAttempt(a: { id: string; eventSeq: number; key: string; number: number; userId: string; email: string; startedAt: number; input?: string | null }): Promise<void>;
  /** Records the receiver's answer and settles the action; call inside a transaction. */
  finish(attemptId: string, eventSeq: number, key: string, result: AttemptFinish, now: number): Promise<AttemptDto>;
  attempt(id: string): Promise<AttemptDto | null>;
  /** An event's attempts, oldest first. */
  history(eventSeq: number): Promise<AttemptDto[]>;
  /**
   * Settles as failed (`interrupted`) the presses whose process is gone: those whose lease ran out, or
   * with `all` every running one. Returns what it settled, for the live channel. Call inside a transaction.
   */
  recoverInterrupted(now: number, all?: boolean): Promise<{ eventSeq: number; key: string; test: boolean }[]>;
}

/** Messages waiting for the push worker, for /metrics. */
export interface PushQueue {
  queued: number;
  oldestCreatedAt: number | null;
}

/** Push subscriptions (a person's devices), the outbox of pushes to send, and their deliveries. */
export interface PushRepository {
  /**
   * Creates or refreshes this browser's subscription (every app open re-syncs it), and forgets the
   * browser's old endpoint; returns its id, or null when the endpoint is another user's device (it is
   * never moved to the caller). Call inside a transaction (two statements).
   */
  saveSubscription(s: SubscriptionInput): Promise<string | null>;
  devices(userId: string): Promise<DeviceRow[]>;
  deviceCount(userId: string): Promise<number>;
  /** Removes one of this user's devices; false when it is not theirs or does not exist. */
  removeDevice(id: string, userId: string): Promise<boolean>;
  /** The push service said the subscription is gone: forget it (and its pending deliveries). */
  removeSubscription(id: string): Promise<void>;
  /** Queues the push for a stored event. Call inside the transaction that stores the event. */
  enqueueEvent(seq: number, createdAt: number): Promise<void>;
  /** Queues a test push to one user's devices. */
  enqueueTest(userId: string, createdAt: number): Promise<void>;
  /** Queues a notice (`action:<key>`: it ran; `handled`) that replaces the notification on the devices that got an event's push. */
  enqueueNotice(seq: number, notice: string, createdAt: number): Promise<void>;
  /** Queues a notice about an event for one person's devices (all of them, whether or not they got the event's push). */
  enqueueFor(userId: string, seq: number, notice: string, createdAt: number): Promise<void>;
  /** How many people an event's push reached (devices still subscribed). */
  sentTo(seq: number): Promise<number>;
  /** The push service took an event's push for this device: a later notice goes to it. */
  markSent(seq: number, subscriptionId: string, at: number): Promise<void>;
  /** Turns up to `limit` outbox rows into one delivery per device, atomically; returns rows taken. */
  expandOutbox(now: number, limit: number): Promise<number>;
  /** Claims up to `limit` due deliveries: each is leased until `leaseUntil` so no poll takes it twice. */
  claimDue(now: number, limit: number, leaseUntil: number): Promise<DueDelivery[]>;
  retryLater(id: number, attempts: number, at: number): Promise<void>;
  /** Delivered, or given up on. */
  finish(id: number): Promise<void>;
  queue(): Promise<PushQueue>;
  /** How much is waiting (tests and diagnostics). */
  pending(): Promise<{ outbox: number; deliveries: number }>;
}

/** Projects: a slug, a name, a webhook secret; everything else hangs under one. */
export interface ProjectsRepository {
  /** null when the slug is taken. */
  create(slug: string, name: string, now: number): Promise<ProjectRow | null>;
  bySlug(slug: string): Promise<ProjectRow | undefined>;
  byId(id: number): Promise<ProjectRow | undefined>;
  all(): Promise<ProjectRow[]>;
  /** The projects someone is a member of, with their role. */
  forUser(userId: string): Promise<ProjectAccess[]>;
  /** A project by slug with this person's member role in it (null when none). */
  access(slug: string, userId: string): Promise<ProjectAccess | undefined>;
  rename(id: number, name: string): Promise<boolean>;
  /** Deletes a project and everything in it: events, keys, members, invites, audit. Call inside a transaction. */
  remove(id: number): Promise<boolean>;
  webhookSecret(id: number): Promise<string | null>;
  setWebhookSecret(id: number, value: string): Promise<void>;
  /** Stores `value` unless the project has a secret; returns the one it has (whoever wrote it first). */
  setWebhookSecretIfAbsent(id: number, value: string): Promise<string>;
}

/** Who is in a project and how; owners of the installation are admins of every project besides. */
export interface MembersRepository {
  /** Held until the transaction ends, so that counting a project's admins and changing one is one step. */
  lock(projectId: number): Promise<void>;
  /** Members and owners, oldest first. */
  list(projectId: number): Promise<MemberListRow[]>;
  /** The member row's role (null: no row; an owner's access comes from being owner). */
  role(projectId: number, userId: string): Promise<ProjectRole | null>;
  /** false when the person is a member already. */
  add(projectId: number, userId: string, role: ProjectRole, now: number): Promise<boolean>;
  setRole(projectId: number, userId: string, role: ProjectRole): Promise<boolean>;
  remove(projectId: number, userId: string): Promise<boolean>;
  /** The project's own admins (member rows; owners are admins of every project besides). */
  adminCount(projectId: number): Promise<number>;
  /** Everyone who may get the project's pushes (members and owners), with their choices. */
  recipients(projectId: number): Promise<Recipient[]>;
  /** A person's notification choices in a project (none stored: on, nothing muted). */
  prefs(userId: string, projectId: number): Promise<NotificationPrefs>;
  setPrefs(userId: string, projectId: number, p: NotificationPrefs): Promise<void>;
}

/** Invite links to a project (only the token's hash is kept). */
export interface InvitesRepository {
  create(row: NewInvite): Promise<InviteRow>;
  /** Open invites of a project, newest first, `limit` of them after `after`. */
  pending(projectId: number, now: number, after: InviteCursor | null, limit: number): Promise<InviteRow[]>;
  pendingCount(projectId: number, now: number): Promise<number>;
  /** Revokes the open invites one person made (in one project, or everywhere with null); returns them. */
  revokeMadeBy(projectId: number | null, userId: string, now: number): Promise<{ id: string; project_id: number; role: ProjectRole }[]>;
  /** Any invite by its token's hash, used or not (the page says which). */
  byTokenHash(hash: string): Promise<InviteRow | undefined>;
  revoke(projectId: number, id: string, now: number): Promise<boolean>;
  /** Takes a valid invite for `userId` (once: a second taker gets null). */
  use(hash: string, userId: string, now: number): Promise<InviteRow | null>;
}

/** A project's audit log: who did what, when, from where. */
export interface AuditRepository {
  append(e: NewAuditEntry): Promise<void>;
  /** Newest first. */
  page(q: AuditQuery): Promise<AuditRow[]>;
}

/** One-time password-reset links an admin makes (only the token's hash is kept). */
export interface PasswordResetsRepository {
  /** Stores a link for its account, ending any other open one of that account (one at a time). */
  replace(row: PasswordResetRow): Promise<void>;
  /** Removes and returns the link (once: a second taker gets nothing). */
  take(tokenHash: string): Promise<PasswordResetRow | null>;
  /** Ends the open link for an account; returns how many ended (0 or 1). */
  removeForUser(userId: string): Promise<number>;
  /** Ends the links one person made (in one project, or everywhere with null). */
  removeMadeBy(userId: string, projectId: number | null): Promise<number>;
}

/** The insights page's figures. */
export interface InsightsRepository {
  /** Everything the insights page shows for one window, read as one snapshot. */
  read(q: InsightQuery): Promise<InsightRows>;
  /** Counts one push message of a stored event for its project (nothing when the event is gone). */
  countPush(eventSeq: number, outcome: PushOutcome, at: number): Promise<void>;
}

/** A project's open events and the actions still pressable on them, each capped at COUNT_CAP. */
export interface ProjectCounts {
  open: number;
  pressable: number;
}

/** A project at a glance: its open counts for the switcher, and its first-run progress. */
export interface OverviewRepository {
  /** Each project's open events and pressable actions at `now` (projects that do not exist are left out). */
  counts(projectIds: number[], now: number): Promise<Map<number, ProjectCounts>>;
  /** Which first-run steps the project has taken (pending invites judged at `now`). */
  progress(projectId: number, now: number): Promise<ProjectProgress>;
  /** §12: the feed's open and acknowledged events (not snoozed at `now`) and the unresolved ones assigned to `userId`, in one mode; each at most 1000. */
  triageCounts(projectId: number, test: boolean, userId: string, now: number): Promise<TriageCounts>;
}

/** The repositories: one per kind of thing kept. */
export interface StoreRepositories {
  events: EventsRepository;
  actions: ActionsRepository;
  users: UsersRepository;
  sessions: SessionsRepository;
  apiKeys: ApiKeysRepository;
  settings: SettingsRepository;
  idempotency: IdempotencyRepository;
  push: PushRepository;
  projects: ProjectsRepository;
  members: MembersRepository;
  invites: InvitesRepository;
  audit: AuditRepository;
  insights: InsightsRepository;
  passwordResets: PasswordResetsRepository;
  overview: OverviewRepository;
  policies: PoliciesRepository;
  pressRequests: PressRequestsRepository;
  passkeys: PasskeysRepository;
  replies: RepliesRepository;
  triage: TriageRepository;
  quietHours: QuietHoursRepository;
  integrations: IntegrationsRepository;
  oidc: OidcRepository;
}

/** A stored passkey (WebAuthn credential). */
export interface PasskeyRow {
  /** The credential id, base64url. */
  id: string;
  user_id: string;
  /** The COSE public key. */
  public_key: Uint8Array;
  counter: number;
  transports: string[];
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export type ChallengePurpose = 'register' | 'sign_in' | 'step_up';

/** A WebAuthn challenge as handed out: for whom and which session (none when signing in). */
export interface PasskeyChallenge {
  challenge: string;
  purpose: ChallengePurpose;
  userId: string | null;
  sessionHash: string | null;
  expiresAt: number;
}

/** Passkeys (§10) and the one-time challenges of their ceremonies. */
export interface PasskeysRepository {
  /** false when a passkey with this credential id exists (anyone's). */
  add(row: Omit<PasskeyRow, 'last_used_at'>): Promise<boolean>;
  /** A person's passkeys, oldest first. */
  list(userId: string): Promise<PasskeyRow[]>;
  count(userId: string): Promise<number>;
  /** The passkey with this credential id, whoever's it is. */
  byId(id: string): Promise<PasskeyRow | undefined>;
  /** Renames one of this person's passkeys (false: they have none with this id). */
  rename(userId: string, id: string, name: string): Promise<boolean>;
  /** Removes one of this person's passkeys; returns its name (null: they have none with this id). */
  remove(userId: string, id: string): Promise<string | null>;
  /**
   * A use of the passkey: the counter moves from `from` to `to` and the time is noted, only while the
   * stored counter is still `from` (compare-and-set: two uses with the same counter cannot both pass).
   */
  used(id: string, from: number, to: number, at: number): Promise<boolean>;
  /** Stores a challenge (and forgets the ones that expired by `now`). */
  saveChallenge(c: PasskeyChallenge, now: number): Promise<void>;
  /** Takes a challenge of this purpose that has not expired at `now`: it is gone afterwards, used or not. */
  takeChallenge(challenge: string, purpose: ChallengePurpose, now: number): Promise<PasskeyChallenge | null>;
}

/** A sign-in on its way through the single sign-on provider (found by its cookie's hash, taken once). */
export interface OidcLogin {
  idHash: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The app's page to land on afterwards (a same-origin path). */
  returnTo: string;
  expiresAt: number;
}

/** Single sign-on (OpenID Connect): accounts bound to an issuer and subject, and the sign-ins under way. */
export interface OidcRepository {
  /** The account bound to this identity at the provider (null: none yet). */
  userFor(issuer: string, subject: string): Promise<string | null>;
  /** Binds an account to an identity; false when the identity (or the account) is bound already. */
  link(issuer: string, subject: string, userId: string, at: number): Promise<boolean>;
  /** Notes a sign-in through the provider. */
  signedIn(issuer: string, subject: string, at: number): Promise<void>;
  /** Stores a sign-in that starts (and forgets the ones that expired by `now`). */
  saveLogin(login: OidcLogin, now: number): Promise<void>;
  /** Takes the sign-in with this cookie hash unless it expired by `now`: it is gone afterwards, either way. */
  takeLogin(idHash: string, now: number): Promise<OidcLogin | null>;
}

/** A project's stored policy (contract/policy.ts's document as JSON); none: the defaults. */
export interface PolicyRow {
  document: string;
  updated_at: number;
  updated_by: string | null;
}

/** Each project's press policy (§10). */
export interface PoliciesRepository {
  get(projectId: number): Promise<PolicyRow | undefined>;
  /** Replaces the project's policy document. Read it and write it in one transaction after `members.lock`. */
  put(projectId: number, document: string, at: number, by: string): Promise<void>;
}

/** A press that must wait, as it is asked for (§10). */
export interface NewPressRequest {
  id: string;
  eventSeq: number;
  key: string;
  projectId: number;
  status: 'awaiting_approval' | 'scheduled';
  risk: Risk;
  needed: number;
  requestedBy: PersonRef;
  requestedAt: number;
  /** Until when approvals are taken. */
  expiresAt: number;
  delaySeconds: number;
  /** Set when nothing is to be approved (`scheduled`). */
  runsAt: number | null;
  webhookId: string;
  /** What the presser typed (§11). */
  input?: string | null;
}

export type PressRequestRow = Selectable<PressRequestsTable>;

/** A scheduled press taken for sending: the attempt it becomes (its number, where and what to send). */
export interface ClaimedPress extends StartedAttempt {
  request: PressRequestRow;
}

/**
 * Presses that wait (§10): for approvals, then their delay. A waiting request holds its action (state
 * `awaiting_approval` or `scheduled`), so no other press starts it; it is sent once, by whichever
 * instance claims it first when it falls due; ended unsent, its action goes back to the state before.
 */
export interface PressRequestsRepository {
  /** Holds the action for the request if a press may start it now (`actions.start`'s rule), and records it. Call inside a transaction. */
  open(r: NewPressRequest, now: number): Promise<{ kind: 'opened' } | { kind: 'refused'; why: Refusal }>;
  byId(id: string): Promise<PressRequestRow | undefined>;
  /** The request, locked until the transaction ends (call inside one): approvals are counted under it. */
  lock(id: string): Promise<PressRequestRow | undefined>;
  /** Records `approver`'s yes; how many approvals the request now has, or null when they had already approved. Call after `lock`. */
  approve(id: string, approver: PersonRef, at: number): Promise<number | null>;
  /** The last yes is in: the press is sent at `runsAt` (its action shows `scheduled`). */
  schedule(id: string, runsAt: number): Promise<boolean>;
  /** Ends a waiting request unsent (its action returns to its state before); false when it no longer waits. */
  end(id: string, status: 'cancelled' | 'denied' | 'approval_expired' | 'expired', by: PersonRef | null, at: number, reason: string | null): Promise<boolean>;
  /** Waiting requests that fall due by `now`: scheduled ones to send, unanswered ones past their time; oldest first. */
  due(now: number, limit: number): Promise<Pick<PressRequestRow, 'id' | 'status'>[]>;
  /** When the next waiting request falls due (null: none waits). */
  nextDue(): Promise<number | null>;
  /**
   * Takes a scheduled request that is due for sending: it becomes `sent`, and its action `running`
   * (leased until `leaseUntil`) with a new attempt number. `taken`: another instance has it, or it is
   * not due; `expired`: its action expired meanwhile (the request ends so). Call inside a transaction.
   */
  claim(id: string, now: number, leaseUntil: number): Promise<ClaimedPress | { kind: 'taken' } | { kind: 'expired'; request: PressRequestRow }>;
}

export type ReplyDeliveryRow = Selectable<ReplyDeliveriesTable>;

/** One entry for an event's timeline (§12). */
export interface NewActivity {
  id?: string;
  eventSeq: number;
  kind: ActivityKind;
  by: { id: string | null; email: string; name: string };
  at: number;
  text?: string | null;
  detail?: { assignee?: PersonDto; until?: number };
}

/** Working an event together (§12): state marks, assignee, snooze (each one guarded UPDATE of a thread's opener or a lone event), the timeline. */
export interface TriageRepository {
  /** Acknowledges, resolves or reopens, if the event's state allows it (contract/triage.ts STATE_CHANGES); false: it did not. */
  change(seq: number, change: StateChange, byEmail: string, at: number): Promise<boolean>;
  /** false when the event already had that assignee (or none). */
  assign(seq: number, userId: string | null): Promise<boolean>;
  /** Snoozes until `until` (null: ends a snooze; false when there was none). */
  snooze(seq: number, until: number | null): Promise<boolean>;
  record(entry: NewActivity): Promise<void>;
  /** One entry by its id (null: gone with its event). */
  entry(id: string): Promise<ActivityDto | null>;
  /** The newest `limit` entries, oldest first. */
  activity(seq: number, limit: number): Promise<ActivityDto[]>;
  /** Notes newest first, `limit` of them before `before`. */
  notes(seq: number, before: { at: number; id: string } | null, limit: number): Promise<{ notes: ActivityDto[]; next: { at: number; id: string } | null }>;
  /** Events whose snooze ended by `now`: each cleared once (across instances) and returned to the one that cleared it. */
  wakeSnoozed(now: number, limit: number): Promise<{ seq: number; projectId: number; test: boolean; notify: boolean }[]>;
  /** The person, if they have access to the project (a member row, or an owner); null otherwise. */
  member(projectId: number, userId: string): Promise<PersonDto | null>;
  /**
   * Escalation: a project's pushed, top-level events still open that came between `before - window`
   * and `before` and were not escalated, each marked escalated once (across instances) and returned
   * to the caller that marked it; at most `limit`. Call inside a transaction.
   */
  escalate(projectId: number, before: number, windowMs: number, at: number, limit: number): Promise<number[]>;
}

/** A person's quiet hours (§12). */
/** An integration (§13) with its key's prefix and last use, and who made it. */
export interface IntegrationRow {
  id: string;
  projectId: number;
  source: IntegrationSource;
  apiKeyId: string;
  signingSecret: string | null;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  createdBy: { id: string; email: string } | null;
}

export interface IntegrationsRepository {
  /** Records an integration whose key was just created (in the same transaction). */
  create(row: { id: string; projectId: number; source: IntegrationSource; apiKeyId: string; signingSecret: string | null; createdBy: string | null; at: number }): Promise<void>;
  list(projectId: number): Promise<IntegrationRow[]>;
  byId(projectId: number, id: string): Promise<IntegrationRow | null>;
  /** The integration whose token is this key (null: the key is a plain API key). */
  byKey(apiKeyId: string): Promise<IntegrationRow | null>;
  /** Points an integration at a new key (rotation; the caller revokes the old one). */
  setKey(id: string, apiKeyId: string): Promise<void>;
  setSecret(id: string, secret: string): Promise<void>;
  remove(id: string): Promise<void>;
  count(projectId: number): Promise<number>;
}

export interface QuietHoursRepository {
  get(userId: string): Promise<QuietHours | null>;
  /** null: none. */
  put(userId: string, hours: QuietHours | null, at: number): Promise<void>;
}

/** The decisions owed to events' replyUrls (§11): queued with the decision (or its expiry), sent and retried by ../replies/sender.ts. */
export interface RepliesRepository {
  /** Queues the event's decision for its replyUrl (once: a second call does nothing). Call in the deciding transaction. */
  enqueue(eventSeq: number, projectId: number, at: number): Promise<void>;
  /** Queues up to `limit` questions with a replyUrl that expired undecided; how many. */
  enqueueExpired(now: number, limit: number): Promise<number>;
  /** Deliveries due by `now` (not held by another sender's lease), oldest first. */
  due(now: number, limit: number): Promise<number[]>;
  /** Takes a due delivery until `leaseUntil`; null when another sender has it. */
  claim(eventSeq: number, now: number, leaseUntil: number): Promise<ReplyDeliveryRow | null>;
  /** Records a try: delivered (2xx), tried again at `nextAttemptAt`, or given up (null). */
  finish(eventSeq: number, outcome: { ok: boolean; status: number | null; reason: string | null; durationMs: number }, at: number, nextAttemptAt: number | null): Promise<void>;
  bySeq(eventSeq: number): Promise<ReplyDeliveryRow | null>;
}

/** The repositories' names, for code that builds or wraps all of them. */
export const REPOSITORY_NAMES = [
  'events', 'actions', 'users', 'sessions', 'apiKeys', 'settings', 'idempotency', 'push', 'projects', 'members', 'invites', 'audit', 'insights', 'passwordResets', 'overview', 'policies', 'pressRequests', 'passkeys', 'replies', 'triage', 'quietHours', 'integrations', 'oidc',
] as const satisfies readonly (keyof StoreRepositories)[];

/** A rate-limit bucket as stored: its tokens at time `at`, and when it will be full again (it may be forgotten then). */
export interface BucketState {
  tokens: number;
  at: number;
  fullAt: number;
}

/**
 * Where rate-limit buckets live (the arithmetic is the limiter's, in `http/rateLimiter.ts`): this
 * process's memory for one process (SQLite), the database when several instances share it.
 */
export interface BucketStore {
  /** True when several processes share these buckets (PostgreSQL): a limiter asked to lease then does. */
  readonly shared?: boolean;
  /** Reads one bucket (null: never used, or forgotten as full). */
  read(key: string): Promise<BucketState | null>;
  /** Reads a bucket, stores what `decide` makes of it, and returns its result — atomically per key. */
  change<R>(key: string, decide: (state: BucketState | null) => { next: BucketState; result: R }): Promise<R>;
  /** Forgets the buckets that are full again by `now` (a missing bucket is full); returns how many. */
  forgetFull(now: number): Promise<number>;
}

/** The store as the server uses it: the repositories, transactions, and the signals between instances. */
export interface AppStore extends StoreRepositories {
  /** Runs `fn` in one transaction; `tx` is the store to use inside it (the outer one would wait for it). */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** A read and a write, for /readyz. */
  healthy(): Promise<boolean>;
  /** Rate-limit buckets (ingest per key, sign-in): in memory for one process, in the database when shared. */
  buckets: BucketStore;
  /**
   * Runs `fn` in a transaction unless another process is running the job `name` right now (then
   * returns null without running it): housekeeping sweeps run on one instance at a time.
   */
  exclusive<T>(name: string, fn: (tx: StoreRepositories) => Promise<T>): Promise<T | null>;
  /** Tells this process's push worker that the outbox has rows (after the commit). In-process: synchronous. */
  wakePush(): void;
  /** Registers a push worker's kick; returns the function that unregisters it. */
  onPushWake(fn: () => void): () => void;
  /**
   * Calls `onChange` whenever entries may have been committed to the live log — by this process
   * (SQLite: once the turn that appended them has ended) or by any instance (PostgreSQL: its NOTIFY
   * at commit) — so this process reads the log and tells its open streams; `upTo`, when known, is the
   * newest committed number. The one live path: writers only append; nobody publishes by hand.
   * Returns a function that stops listening.
   */
  listenLive(onChange: (upTo?: number) => void): Promise<() => Promise<void>>;
  /**
   * Says on every instance that a person's access changed (removed, re-roled, signed out elsewhere):
   * each one then closes that person's open streams, which reconnect under the new rights.
   */
  announceAccess(userId: string): Promise<void>;
  onAccessChange(fn: (userId: string) => void): () => void;
  /**
   * Calls `fn` once API keys were revoked or deleted: by this process (SQLite: at once, in the same
   * call), or by any instance (PostgreSQL: a NOTIFY sent at the commit; the revoking call returns once
   * its own instance has heard it). `ids`: the keys; null: any key may have changed (a listener that
   * reconnected cannot know what it missed). In-process caches of keys (auth/keyCache.ts) forget them.
   * On PostgreSQL other instances are heard while `listenLive` listens, as every server does.
   * Returns a function that stops listening.
   */
  onKeysRevoked(fn: (ids: readonly string[] | null) => void): () => void;
  close(): Promise<void>;
}

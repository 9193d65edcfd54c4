/** What the server answers the PWA: the read side of the wire format. */
import type { Locale } from './locales.ts';
import type { JsonValue, NormalizedAction, NormalizedEvent } from './ingest.ts';
import type { PressRequestDto } from './requests.ts';
import type { ReplyDeliveryDto, StoredDecision } from './decisions.ts';
import type { ActivityDto, EventState, PersonDto } from './triage.ts';

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string | null };
}

export interface IngestAccepted {
  id: string;
  createdAt: string;
  warnings?: string[];
  /** §12: it updated the unresolved event with the same dedupKey in place (answered 200, not pushed again). */
  deduplicated?: true;
}

/** `awaiting_approval` and `scheduled`: a press waits (§10) and holds the action (its `request` says for what). */
export const ACTION_STATES = ['idle', 'awaiting_approval', 'scheduled', 'running', 'succeeded', 'failed'] as const;
export type ActionState = (typeof ACTION_STATES)[number];

/** One press of a webhook action and what the receiver answered. */
export interface AttemptDto {
  id: string;
  actionKey: string;
  number: number;
  pressedBy: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** null while the request runs. */
  outcome: 'succeeded' | 'failed' | null;
  status: number | null;
  /** Why it failed: `http_500`, `timeout`, `connection_refused`, `dns`, `blocked_by_policy`, … */
  reason: string | null;
  /** The first 1 KiB of the receiver's answer. */
  response: string | null;
  /** What the presser typed in the confirm step (an action with `input`, §11). */
  input: string | null;
}

/** An action as the PWA sees it: its expiry is a time, and its meta stays on the server. */
/** `meta` is shown to everyone who can press (the confirm step says what will be sent). */
export interface ActionDto extends Omit<NormalizedAction, 'expireIn'> {
  expiresAt: string;
  state: ActionState;
  attempts: number;
  lastAttempt: Omit<AttemptDto, 'response' | 'input'> | null;
  /** The action's newest press request (approvals, a delay), waiting or ended; null when it never had one. */
  request: PressRequestDto | null;
}

/** The answer to a press: the action as it now stands and the attempt just made. */
export interface TriggerResult {
  action: ActionDto;
  attempt: AttemptDto;
  serverTime: string;
}

/** The trigger route's 202: the press must wait (a delay, or approvals first). */
export interface TriggerWaiting {
  status: 'scheduled' | 'awaiting_approval';
  /** When it will be sent (`scheduled`). */
  runsAt?: string;
  request: { id: string; needed: number; expiresAt: string };
  /** The action as it now stands (held: `scheduled` or `awaiting_approval`). */
  action: ActionDto;
  serverTime: string;
}

/** The answer to approve, deny and cancel: the request and its action as they now stand. */
export interface DecisionAnswer {
  request: PressRequestDto;
  action: ActionDto;
  serverTime: string;
}

/** A stored event as the PWA sees it: the normalised event plus what the server adds. */
/** Enough of another event to name it on a card: a thread's opener or its latest event. */
export interface EventSummary {
  id: string;
  name: string | null;
  avatar: string | null;
  createdAt: string;
}

export interface EventDto extends Omit<NormalizedEvent, 'actions' | 'state'> {
  id: string;
  createdAt: string;
  /** The thread-opening event this one belongs to, when it came. */
  parentId: string | null;
  /** That opener, to name the thread where this event is shown alone (search, a category). */
  opener: EventSummary | null;
  /** How many later events the thread this event opens holds. */
  threadCount: number;
  /** The newest of them (shown on the opener's card while its thread is collapsed). */
  latest: EventSummary | null;
  actions: ActionDto[];
  /** Someone took it on ("handled"): who and when; null while nobody has. */
  handled: { by: string; at: string } | null;
  /** Its question's answer (§11: the reply action chosen, the text typed, who, when); null until answered. */
  decision: StoredDecision | null;
  /** §12: `resolved` while `handled` is set, else `acknowledged` while `acknowledged` is, else `open`. */
  state: EventState;
  /** Someone said "I'm on it": who and when; null while nobody has (or since it was reopened). */
  acknowledged: { by: string; at: string } | null;
  assignee: PersonDto | null;
  /** Out of the default view until then (then it comes back and is pushed again). */
  snoozedUntil: string | null;
  /** Must reach people now: pushed through quiet hours. */
  urgent: boolean;
  /** Events with this key update this one in place while it is unresolved. */
  dedupKey: string | null;
  /** How many times it came (1, or more when deduplicated), and when it last came. */
  count: number;
  lastSeenAt: string;
  /** Set in cross-project answers (/api/all/…): the event's project slug. */
  project?: string;
}

export interface FeedPage {
  events: EventDto[];
  nextCursor: string | null;
  serverTime: string;
  /** The live channel's position when this page was read: subscribe after it to miss nothing. */
  lastSeq: number;
}

export interface EventDetail {
  event: EventDto;
  /** The API key that sent it, by name (null when it came without one: a CLI import or a copied store). */
  sentBy: { name: string; revoked: boolean } | null;
  thread: EventDto[];
  /** Every press of this event's actions, oldest first. */
  attempts: AttemptDto[];
  /** Its timeline (§12), oldest first: changes of state, assignee and snooze, and notes (the newest 200). */
  activity: ActivityDto[];
  /** The decision's POST to the event's replyUrl (§11), once there is one to send. */
  replyDelivery: ReplyDeliveryDto | null;
  /** How many people its push reached (on a device still subscribed): "Sent to 3 people". */
  pushedTo: number;
  serverTime: string;
}

export interface CategoryCount {
  category: string;
  count: number;
}

/**
 * An installation-wide role: the owner (the first account, and whoever an owner names) is admin of
 * every project and creates and deletes projects; everyone else has a role per project.
 */
export type UserRole = 'owner' | 'member';

/** A role in one project (CONTRACT §7): viewers read, members also press, admins also manage. */
export const PROJECT_ROLES = ['viewer', 'member', 'admin'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** Why a person may not press an action: a viewer never presses; an action sent with "role": "admin" is for admins. */
export type PressRefusal = 'view_only' | 'admins_only';

/**
 * Why this person may not press an action (the server refuses the same; the PWA says it beside the
 * button in the person's language). Null: they may (or, in the PWA, their role is not known yet).
 */
export function pressRefusal(role: ProjectRole | undefined, action: { role: 'admin' | null }): PressRefusal | null {
  if (role === undefined) return null;
  if (role === 'viewer') return 'view_only';
  if (action.role === 'admin' && role !== 'admin') return 'admins_only';
  return null;
}

/**
 * A person's role in a project: an owner of the installation is admin of every project; anyone else
 * has their member row's role, or none. The one statement of the rule (the store's queries say it in
 * SQL once, in server/store/shared/projects.ts).
 */
export const effectiveRole = (user: { role: UserRole }, memberRole: ProjectRole | null): ProjectRole | null =>
  user.role === 'owner' ? 'admin' : memberRole;

/** Whether `role` may do what `needed` may. */
export const roleAtLeast = (role: ProjectRole, needed: ProjectRole) => PROJECT_ROLES.indexOf(role) >= PROJECT_ROLES.indexOf(needed);

/** The project every installation starts with; routes without a project answer for it. */
export const DEFAULT_PROJECT = 'default';

/** The app's URL of a page of a project (`default` keeps the short paths): shared by the PWA and pushes. */
export function projectHref(slug: string, rest = '/'): string {
  if (slug === DEFAULT_PROJECT) return rest;
  return `/p/${slug}${rest === '/' ? '' : rest}`;
}

export interface Me {
  id: string;
  email: string;
  /** What teammates see (may be empty for accounts made before names). */
  name: string;
  role: UserRole;
  /** The language chosen in Settings → Account (CONTRACT §14); null: the browser's. */
  locale: Locale | null;
}

/** A project as one person sees it: with their role in it. */
export interface ProjectDto {
  slug: string;
  name: string;
  role: ProjectRole;
  createdAt: string;
  /**
   * Open events: not test events, not handled, each a thread's opener or a lone event (as the feed
   * lists them). At most 1000 — 1000 means "1000 or more".
   */
  open: number;
  /**
   * Webhook actions (not links) on the open events that a press may start now: not expired, not
   * running, not succeeded unless repeatable. At most 1000 — 1000 means "1000 or more".
   */
  pressable: number;
}

/** GET /api/projects/:slug/progress: the first-run steps a project has taken. */
export interface ProjectProgress {
  /** The project has an API key, or had one (revoked). */
  key: boolean;
  /** The project has received an event (test events count). */
  event: boolean;
  /** Someone has pressed one of its actions (an attempt exists, whatever its outcome). */
  action: boolean;
  /** It has more than one member (owners included), or an invite is pending. */
  teammate: boolean;
}

export interface MemberDto {
  userId: string;
  name: string;
  email: string;
  role: ProjectRole;
  /** An owner of the installation: admin here whatever the row says, and not removable by an admin. */
  owner: boolean;
  joinedAt: string;
  /**
   * When they last used the app: the latest use of any of their sign-in sessions (a session's time
   * moves on at most once an hour, so this is to the hour). null when they have no session: never
   * signed in, or signed out of every device (or their sessions expired).
   */
  lastActiveAt: string | null;
  /**
   * This project's pushes would reach them: their notification choice for it is on (on until they
   * turn it off; muted categories aside) and they have at least one device subscribed to pushes.
   */
  notifications: boolean;
}

export interface InviteDto {
  id: string;
  role: ProjectRole;
  createdAt: string;
  expiresAt: string;
  createdBy: string | null;
}

/** GET /api/projects/:slug/invites: pending invites, newest first, in cursor pages. */
export interface InvitePage {
  invites: InviteDto[];
  /** Pass as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

export interface CreatedInvite extends InviteDto {
  /** The link, shown once (only its hash is kept). */
  url: string;
}

/** What the invite page shows before anyone signs in. */
export interface InviteInfo {
  project: { slug: string; name: string };
  role: ProjectRole;
  expiresAt: string;
}

/** The entries every member reads (CONTRACT §15: members see presses); admins read them all. */
export const PRESS_KINDS = [
  'action.pressed',
  'action.refused',
  'action.requested',
  'action.approved',
  'action.denied',
  'action.request_expired',
  'action.cancelled',
  'action.answered',
] as const;
export const AUDIT_KINDS = [
  ...PRESS_KINDS,
  'invite.created',
  'invite.used',
  'invite.revoked',
  'member.added',
  'member.removed',
  'member.role_changed',
  'member.password_reset',
  'member.password_reset_used',
  'key.created',
  'key.revoked',
  'integration.created',
  'integration.rotated',
  'integration.deleted',
  'integration.secret_set',
  'secret.rotated',
  'event.deleted',
  'event.handled',
  'event.acknowledged',
  'event.resolved',
  'event.reopened',
  'event.assigned',
  'event.snoozed',
  'event.noted',
  'event.escalated',
  'project.created',
  'project.renamed',
  'policy.changed',
  'auth.step_up',
  'passkey.added',
  'passkey.removed',
  // Single sign-on keeps a person's memberships as the provider's groups say, at each sign-in.
  'oidc.membership_added',
  'oidc.membership_changed',
  'oidc.membership_removed',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** How a press ended, as the Activity page filters it. */
export const PRESS_OUTCOMES = ['succeeded', 'failed', 'refused'] as const;
export type PressOutcome = (typeof PRESS_OUTCOMES)[number];

export interface AuditEntryDto {
  id: number;
  at: string;
  actor: { id: string | null; email: string };
  kind: AuditKind;
  /** What it concerns: an email, a key's name, an event's id. */
  subject: string | null;
  detail: JsonValue;
  /** The client's address as the server saw it (after the TRUST_PROXY rule); null for the CLI and older entries. */
  address: string | null;
  /**
   * A press's outcome (`action.pressed`: its attempt's, `running` until the receiver answered;
   * `action.refused`: refused, with why); null for every other entry.
   */
  outcome: { result: PressOutcome | 'running'; reason: string | null; status: number | null } | null;
}

export interface AuditPage {
  entries: AuditEntryDto[];
  nextCursor: string | null;
}

/** REMOTE_IMAGES: `load` shows images from events at once; `tap` loads each one only when tapped. */
export type RemoteImages = 'load' | 'tap';

export interface AuthStatus {
  setupRequired: boolean;
  user: Me | null;
  /** When the current session ends unless it is used again (ISO); null when signed out. */
  sessionExpiresAt: string | null;
  remoteImages: RemoteImages;
  /** How long a press waits for its receiver (WEBHOOK_TIMEOUT_MS): the confirm step says so while it runs. */
  webhookTimeoutMs: number;
  /**
   * Single sign-on through an OpenID Connect provider (OIDC_*): the sign-in page offers
   * `Sign in with <name>`, a full-page navigation to `startUrl`; null when it is not set up.
   * The server always sends this and `passwordSignIn`; they are optional only because the app makes up
   * a status of its own while a sign-out waits for the network, and cannot know them then.
   */
  oidc?: SsoSignIn | null;
  /** Who may sign in with a password (or a passkey): `owners` alone with OIDC_ONLY=true, else `everyone`. */
  passwordSignIn?: PasswordSignIn;
}

/** The single sign-on the sign-in page offers. */
export interface SsoSignIn {
  /** OIDC_NAME: the button reads `Sign in with <name>`. */
  name: string;
  /** Where the button navigates (a full page load, not a fetch); `?returnTo=<path>` lands on that page afterwards. */
  startUrl: string;
}

export type PasswordSignIn = 'everyone' | 'owners';

/** What a key may do: `ingest` sends events; `read` also reads them (GET /api/v1/events). */
export const KEY_SCOPES = ['ingest', 'read'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface ApiKeyDto {
  id: string;
  name: string;
  prefix: string;
  scope: KeyScope;
  createdAt: string;
  lastUsedAt: string | null;
  /** Who made it (null: the CLI, or an account that no longer exists). */
  createdBy: { id: string; email: string } | null;
}

export interface CreatedApiKey extends ApiKeyDto {
  /** The secret, shown once. */
  key: string;
}

/** Names of the live channel's SSE message types. */
export const LIVE_MESSAGES = { event: 'event', reset: 'reset' } as const;

/**
 * What a live-log entry records: a new event, a change to one of its actions, or to the event itself
 * (handled), or its deletion (the message then carries only the event's id and mode).
 */
export type LiveKind = 'event' | 'action' | 'update' | 'delete';

/** What a `delete` message says about the event that is gone. */
export interface DeletedEventRef {
  id: string;
  test: boolean;
}

export const FEED_PAGE_SIZE = { default: 50, max: 200 } as const;

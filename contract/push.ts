/**
 * Push notifications, once: what the server puts in a push message and how the service worker turns
 * it into a notification. Pure functions, shared by the server, the service worker and the page.
 */
import { DEFAULT_PROJECT, type EventDto, type ProjectRole, pressRefusal, projectHref } from './api.ts';
import { contentPreview, eventTitle } from './present.ts';
import type { ActivityDto } from './triage.ts';

/** A notification button: the action's key and its text. */
export interface PushAction {
  action: string;
  title: string;
}

/** At most this many actions become notification buttons (what platforms show). */
export const PUSH_ACTIONS = 2;

/** The fixed words of pushes (the `push` catalogs): the server says them in the recipient's language. */
export type PushWord =
  | 'push.acknowledge'
  | 'push.unacknowledged'
  | 'push.handledBy'
  | 'push.acknowledgedBy'
  | 'push.answered'
  | 'push.doneBy'
  | 'push.approve'
  | 'push.asks'
  | 'push.mentioned'
  | 'push.test'
  | 'push.inThread'
  | 'push.image'
  | 'push.untitled';

/** Says a push word in one language; `forms`: a plural word's forms, `#` for the count. */
export interface PushSay {
  (id: PushWord, values?: Record<string, string | number>): string;
  locale: string;
  forms(id: PushWord): Record<string, string>;
}

/** The notification button that acknowledges an event from the notification (§12): not a press. */
export const ACK_ACTION = '__acknowledge';

/** The notification of a Declarative Web Push message (`web_push: 8030`). */
export interface DeclarativeNotification {
  title: string;
  body: string;
  /** Where a tap goes (absolute). */
  navigate: string;
  tag: string;
  timestamp: number;
  silent?: boolean;
  actions?: { action: string; title: string; navigate: string }[];
}

/**
 * The payload with its Declarative Web Push form added (`origin`: the app's, for absolute links). A
 * button there can only navigate: `Acknowledge` and an action's button open the event (with the
 * action's confirm step), as a tap would.
 */
export function withDeclarative(p: PushPayload, origin: string): PushPayload {
  const at = (path: string) => new URL(path, origin).href;
  const tag = p.thread ? `thread:${p.thread}` : p.id;
  const actions = (p.actions ?? []).map((a) => ({ action: a.action, title: a.title, navigate: at(a.action === ACK_ACTION ? p.url : notificationTarget(p.url, a.action)) }));
  const notification: DeclarativeNotification = {
    title: p.title,
    body: p.body,
    navigate: at(p.url),
    tag,
    timestamp: p.timestamp,
    ...(p.kind === 'notice' ? { silent: true } : {}),
    ...(actions.length > 0 ? { actions } : {}),
  };
  return { ...p, web_push: 8030, notification, mutable: true };
}

/** The encrypted payload of one push message. Kept small: push services cap it near 4 KiB. */
export interface PushPayload {
  /** `notice`: what became of an event whose push the device got (an action ran, it was handled); it replaces that notification. */
  kind: 'event' | 'test' | 'notice';
  /** The event's id ('test' for a test notification): the notification's tag. */
  id: string;
  title: string;
  body: string;
  /** The event's time, ms since the epoch. */
  timestamp: number;
  /** Where a tap lands. */
  url: string;
  /** §12: must reach the person now (an urgent event, an escalation): it is not held for quiet hours. */
  urgent?: boolean;
  /** §12: where the `Acknowledge` button POSTs (with the person's session) — an open event, for someone who may change it. */
  ack?: string;
  /**
   * Declarative Web Push (Safari, iOS 18.4+): the same notification in the standard's form, shown
   * without the service worker; `mutable` lets the service worker, where there is one, take it over.
   */
  web_push?: 8030;
  notification?: DeclarativeNotification;
  mutable?: true;
  /** Up to two webhook actions this person may press now: each button opens the confirm step. */
  actions?: PushAction[];
  /** The event's thread (`contextId`): one notification per thread, replaced as the thread grows. */
  thread?: string;
  /**
   * With `thread`: "# new in this thread" in the recipient's language, per plural form (`#`: the count
   * the device keeps), and that language, for its plural rules.
   */
  inThread?: { lang: string; forms: Record<string, string> };
}

/**
 * The webhook actions a push offers as buttons: ones that can still run (not a link, not expired,
 * not done for good, not running) and that this person may press, in the event's order, two at most.
 */
export function pushActions(event: Pick<EventDto, 'actions'> & Partial<Pick<EventDto, 'decision'>>, role: ProjectRole, now: number): PushAction[] {
  // A question already answered offers none of its reply buttons (§11).
  const answered = (event.decision ?? null) !== null;
  return event.actions
    .filter((a) => !a.external && !(a.reply && answered) && Date.parse(a.expiresAt) > now && (a.state === 'idle' || a.state === 'failed' || (a.state === 'succeeded' && a.repeat)))
    .filter((a) => pressRefusal(role, a) === null)
    .slice(0, PUSH_ACTIONS)
    .map((a) => ({ action: a.key, title: a.buttonText.slice(0, 40) }));
}

/** Where a tap on a notification (or on one of its buttons) lands: a button opens the event with its confirm step. */
export function notificationTarget(url: string, action: string | null | undefined): string {
  if (!action) return url;
  return `${url}${url.includes('?') ? '&' : '?'}confirm=${encodeURIComponent(action)}`;
}

const TITLE_MAX = 120;
const BODY_MAX = 180;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * `project`: where the event is — its slug (a tap opens the event in it) and, for someone in more than
 * one project, its name (the title then says where it happened). `actions`: the buttons to offer.
 */
export function eventPushPayload(
  say: PushSay,
  event: Pick<EventDto, 'id' | 'name' | 'avatar' | 'type' | 'content' | 'category' | 'createdAt'> & Partial<Pick<EventDto, 'contextId' | 'urgent'>>,
  project: { slug: string; name: string | null } = { slug: DEFAULT_PROJECT, name: null },
  actions: PushAction[] = [],
  /** §12: the path the `Acknowledge` button POSTs to; it takes the first button, the event's actions keep one. */
  ack: string | null = null,
): PushPayload {
  const buttons = ack === null ? actions : [{ action: ACK_ACTION, title: say('push.acknowledge') }, ...actions.slice(0, PUSH_ACTIONS - 1)];
  // An image URL as avatar is no use in a title; an emoji or short text is.
  const avatar = event.avatar && !/^https?:\/\//i.test(event.avatar) ? `${event.avatar} ` : '';
  const words = { image: say('push.image'), untitled: say('push.untitled') };
  const preview = contentPreview(event, BODY_MAX, words);
  return {
    kind: 'event',
    id: event.id,
    title: clip(`${project.name ? `${project.name} · ` : ''}${avatar}${eventTitle(event, words)}`, TITLE_MAX),
    body: preview || (event.category ?? ''),
    timestamp: Date.parse(event.createdAt),
    url: projectHref(project.slug, `/events/${encodeURIComponent(event.id)}`),
    ...(buttons.length > 0 ? { actions: buttons } : {}),
    ...(event.contextId ? { thread: event.contextId, inThread: { lang: say.locale, forms: say.forms('push.inThread') } } : {}),
    ...(event.urgent ? { urgent: true } : {}),
    ...(ack === null ? {} : { ack }),
  };
}

/** An outbox notice `escalation`: the second push of an event nobody acknowledged (§12). */
export const ESCALATION_NOTICE = 'escalation';

/**
 * The escalation: `Unacknowledged: <name>`, its own tag (the first push may still be shown), past
 * quiet hours. Null: someone acknowledged or resolved it meanwhile.
 */
export function escalationPushPayload(
  say: PushSay,
  event: Pick<EventDto, 'id' | 'name' | 'avatar' | 'type' | 'content' | 'category' | 'createdAt' | 'state'>,
  project: { slug: string; name: string | null } = { slug: DEFAULT_PROJECT, name: null },
): PushPayload | null {
  if (event.state !== 'open') return null;
  const { thread: _own, inThread: _count, ...base } = eventPushPayload(say, event, project);
  return { ...base, id: `escalate-${event.id}`, title: clip(say('push.unacknowledged', { name: eventTitle(event, { image: say('push.image'), untitled: say('push.untitled') }) }), TITLE_MAX), urgent: true };
}

/**
 * The notice that replaces an event's notification once one of its actions ran (`action:<key>`) or it
 * was handled (`handled`): same tag, what happened and by whom, no buttons. Null: nothing to say (the
 * action is gone or has not succeeded; the event is not handled any more).
 */
export function noticePushPayload(
  say: PushSay,
  event: Pick<EventDto, 'id' | 'name' | 'avatar' | 'type' | 'content' | 'category' | 'createdAt' | 'actions' | 'handled'> & Partial<Pick<EventDto, 'contextId' | 'acknowledged'>>,
  notice: string,
  project: { slug: string; name: string | null } = { slug: DEFAULT_PROJECT, name: null },
): PushPayload | null {
  const base = eventPushPayload(say, event, project);
  let body: string | null = null;
  if (notice === 'handled') body = event.handled ? say('push.handledBy', { by: event.handled.by }) : null;
  else if (notice === 'acknowledged') body = event.acknowledged && !event.handled ? say('push.acknowledgedBy', { by: event.acknowledged.by }) : null;
  else if (notice.startsWith('action:')) {
    const action = event.actions.find((a) => a.key === notice.slice('action:'.length));
    const by = action?.lastAttempt?.pressedBy;
    if (action && action.state === 'succeeded' && by) body = say(action.reply ? 'push.answered' : 'push.doneBy', { button: action.buttonText, by });
  }
  if (body === null) return null;
  const { actions: _none, ...rest } = base;
  return { ...rest, kind: 'notice', body: clip(body, BODY_MAX) };
}

/** An outbox notice `approve:<request id>`: the push that asks one approver. */
export const APPROVAL_NOTICE = 'approve:';

/**
 * The push that asks an approver (§10): `Approve? <buttonText>`, who asks and about what; a tap opens
 * the event with the request. Its own tag, so it does not replace the event's notification. Null: the
 * request no longer waits for approvals.
 */
export function approvalPushPayload(
  say: PushSay,
  event: Pick<EventDto, 'id' | 'name' | 'avatar' | 'type' | 'content' | 'category' | 'createdAt' | 'actions'>,
  requestId: string,
  project: { slug: string; name: string | null } = { slug: DEFAULT_PROJECT, name: null },
): PushPayload | null {
  const action = event.actions.find((a) => a.request?.id === requestId);
  const request = action?.request;
  if (!action || !request || request.status !== 'awaiting_approval') return null;
  const base = eventPushPayload(say, event, project);
  const { actions: _none, thread: _own, inThread: _count, ...rest } = base;
  return {
    ...rest,
    id: `approve-${requestId}`,
    title: clip(say('push.approve', { button: action.buttonText }), TITLE_MAX),
    body: clip(say('push.asks', { email: request.requestedBy.email, title: base.title }), BODY_MAX),
    timestamp: Date.parse(request.requestedAt),
    url: `${base.url}?approve=${encodeURIComponent(requestId)}`,
  };
}

/** An outbox notice `mention:<note id>`: the push that tells one person a note names them (§12). */
export const MENTION_NOTICE = 'mention:';

/**
 * The push that tells a person they were mentioned: `<author> mentioned you`, the note's start, the
 * event named; its own tag, so the event's notification stays. Null: the note is gone.
 */
export function mentionPushPayload(
  say: PushSay,
  event: Pick<EventDto, 'id' | 'name' | 'avatar' | 'type' | 'content' | 'category' | 'createdAt' | 'actions'>,
  note: Pick<ActivityDto, 'id' | 'by' | 'text' | 'at'> | null,
  project: { slug: string; name: string | null } = { slug: DEFAULT_PROJECT, name: null },
): PushPayload | null {
  if (!note || note.text === null) return null;
  const base = eventPushPayload(say, event, project);
  const { actions: _none, thread: _own, inThread: _count, ...rest } = base;
  return {
    ...rest,
    id: `mention-${note.id}`,
    title: clip(say('push.mentioned', { author: note.by.name.trim() || note.by.email, title: base.title }), TITLE_MAX),
    body: clip(note.text.replace(/\s+/g, ' ').trim(), BODY_MAX),
    timestamp: Date.parse(note.at),
  };
}

export function testPushPayload(say: PushSay, now: number): PushPayload {
  return { kind: 'test', id: 'test', title: '🔔 Switchboard', body: say('push.test'), timestamp: now, url: '/settings' };
}

/** "3 new in this thread", from the push's forms in its language; without them (an older server's push), just the count. */
export function inThreadText(p: Pick<PushPayload, 'inThread'>, count: number): string {
  if (!p.inThread) return `+${count}`;
  let form = 'other';
  let number = String(count);
  try {
    form = new Intl.PluralRules(p.inThread.lang).select(count);
    number = new Intl.NumberFormat(p.inThread.lang).format(count);
  } catch {
    // An unknown language tag: its `other` form, the plain number.
  }
  return (p.inThread.forms[form] ?? p.inThread.forms.other ?? '#').replaceAll('#', number);
}

/** The events a notification stands for, newest last: enough to spot a repeat in a busy thread. */
const SHOWN_EVENTS_KEPT = 50;

/** What a shown notification carries (`Notification.data`). */
export interface NotificationData {
  url: string;
  /** How many events of the thread it stands for. */
  count: number;
  /** Their ids (the newest SHOWN_EVENTS_KEPT). */
  events: string[];
  /** Where `Acknowledge` POSTs (§12), when the notification offers it. */
  ack?: string;
}

/**
 * Whether a push is one this device has already shown: a push may come twice when an instance was
 * stopped between sending it and recording that it had (the next one sends it again after the
 * claim's lease); the notification it would replace already names its event, so nothing changes.
 */
export function alreadyShown(p: Pick<PushPayload, 'kind' | 'id'>, shown: { data?: unknown } | undefined): boolean {
  const events = (shown?.data as Partial<NotificationData> | undefined)?.events;
  return p.kind === 'event' && Array.isArray(events) && events.includes(p.id);
}

/**
 * What the service worker passes to showNotification. A thread's notifications share one tag, so a
 * new one replaces the last and says how many came (`earlier`: the count the replaced one carried).
 */
export function notificationOptions(
  p: PushPayload,
  icon: string,
  earlier = 0,
  earlierEvents: readonly string[] = [],
): { title: string; options: NotificationOptions & { timestamp?: number; actions?: PushAction[]; renotify?: boolean } } {
  // A notice replaces what the device shows, quietly: the count and the events it stands for stay.
  const notice = p.kind === 'notice';
  const count = notice ? Math.max(1, earlier) : p.thread ? earlier + 1 : 1;
  return {
    title: p.title,
    options: {
      body: !notice && count > 1 ? `${inThreadText(p, count)} · ${p.body}` : p.body,
      tag: p.thread ? `thread:${p.thread}` : p.id,
      icon,
      badge: icon,
      timestamp: p.timestamp,
      data: {
        url: p.url,
        count,
        events: (notice ? [...earlierEvents] : [...earlierEvents, p.id]).slice(-SHOWN_EVENTS_KEPT),
        ...(p.ack && !notice ? { ack: p.ack } : {}),
      } satisfies NotificationData,
      ...(p.actions && p.actions.length > 0 && !notice ? { actions: p.actions } : {}),
      ...(p.thread && count > 1 && !notice ? { renotify: true } : {}),
      ...(notice ? { silent: true } : {}),
    },
  };
}

/** A notification tap: focus a window that shows the app (and send it to `url`), or open one. */
export type ClickPlan = { action: 'focus'; clientIndex: number; url: string } | { action: 'open'; url: string };

export function planNotificationClick(url: string, clientUrls: string[], origin: string): ClickPlan {
  const target = new URL(url, origin);
  if (target.origin !== origin) return { action: 'open', url: new URL('/', origin).href };
  const exact = clientUrls.indexOf(target.href);
  if (exact >= 0) return { action: 'focus', clientIndex: exact, url: target.href };
  const sameOrigin = clientUrls.findIndex((u) => new URL(u).origin === origin);
  if (sameOrigin >= 0) return { action: 'focus', clientIndex: sameOrigin, url: target.href };
  return { action: 'open', url: target.href };
}

/**
 * The app badge after a push arrives: it counts the notified events not yet seen (a test
 * notification is not an event). Opening the feed sets it back to 0 (`BADGE_SEEN`).
 */
/** The path that acknowledges an event of a project (§12), for the notification's `Acknowledge`. */
export const ackPath = (slug: string, eventId: string) => `/api/projects/${encodeURIComponent(slug)}/events/${encodeURIComponent(eventId)}/ack`;

export function badgeAfterPush(count: number, payload: Pick<PushPayload, 'kind'>): number {
  const current = Number.isSafeInteger(count) && count > 0 ? count : 0;
  return payload.kind === 'event' ? current + 1 : current;
}

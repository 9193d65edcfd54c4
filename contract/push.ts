/**
 * Push notifications, once: what the server puts in a push message and how the service worker turns
 * it into a notification. Pure functions, shared by the server, the service worker and the page.
 */
import { DEFAULT_PROJECT, type EventDto, projectHref } from './api.ts';
import { contentPreview, eventTitle } from './present.ts';

/** The encrypted payload of one push message. Kept small: push services cap it near 4 KiB. */
export interface PushPayload {
  kind: 'event' | 'test';
  /** The event's id ('test' for a test notification): the notification's tag. */
  id: string;
  title: string;
  body: string;
  /** The event's time, ms since the epoch. */
  timestamp: number;
  /** Where a tap lands. */
  url: string;
}

const TITLE_MAX = 120;
const BODY_MAX = 180;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * `project`: where the event is — its slug (a tap opens the event in it) and, for someone in more than
 * one project, its name (the title then says where it happened).
 */
export function eventPushPayload(
  event: Pick<EventDto, 'id' | 'name' | 'avatar' | 'type' | 'content' | 'category' | 'createdAt'>,
  project: { slug: string; name: string | null } = { slug: DEFAULT_PROJECT, name: null },
): PushPayload {
  // An image URL as avatar is no use in a title; an emoji or short text is.
  const avatar = event.avatar && !/^https?:\/\//i.test(event.avatar) ? `${event.avatar} ` : '';
  const preview = contentPreview(event, BODY_MAX);
  return {
    kind: 'event',
    id: event.id,
    title: clip(`${project.name ? `${project.name} · ` : ''}${avatar}${eventTitle(event)}`, TITLE_MAX),
    body: preview || (event.category ?? ''),
    timestamp: Date.parse(event.createdAt),
    url: projectHref(project.slug, `/events/${encodeURIComponent(event.id)}`),
  };
}

export function testPushPayload(now: number): PushPayload {
  return { kind: 'test', id: 'test', title: '🔔 Switchboard', body: 'Test notification: this device will be told about events.', timestamp: now, url: '/settings' };
}

/** What the service worker passes to showNotification. */
export function notificationOptions(p: PushPayload, icon: string): { title: string; options: NotificationOptions & { timestamp?: number } } {
  return {
    title: p.title,
    options: { body: p.body, tag: p.id, icon, badge: icon, timestamp: p.timestamp, data: { url: p.url } },
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

/** How an event is named and previewed: one function for the feed, the event page and notifications. */
import type { EventDto, EventSummary } from './api.ts';
import type { Row } from './ingest.ts';

const PREVIEW = 140;

const valueText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const rowText = (r: Row) => `${r.label ? `${r.label}: ` : ''}${r.type === 'image' ? 'Image' : valueText(r.content)}`;

export function contentPreview(event: Pick<EventDto, 'type' | 'content'>, max = PREVIEW): string {
  const { type, content } = event;
  if (content === null) return '';
  const text = (
    type === 'text' ? String(content)
    : type === 'image' ? 'Image'
    : type === 'rows' && Array.isArray(content) ? (content as Row[]).map(rowText).join(' · ')
    : valueText(content)
  )
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The event's name, or a stand-in made from its content when it came without one. */
export function eventTitle(event: Pick<EventDto, 'name' | 'type' | 'content'>): string {
  return event.name ?? (contentPreview(event, 80) || 'Untitled event');
}

/** Enough of an event to name it on another's card (a thread's newest event on its opener). */
export const summaryOf = (e: EventDto): EventSummary => ({ id: e.id, name: e.name, avatar: e.avatar, createdAt: e.createdAt });

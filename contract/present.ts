/** How an event is named and previewed: one function for the feed, the event page and notifications. */
import type { EventDto, EventSummary } from './api.ts';
import type { Row } from './ingest.ts';

const PREVIEW = 140;

/**
 * The words a preview or a title says where the event gives none. The PWA passes its language's
 * (src/features/feed/present.ts); English otherwise.
 */
export interface PresentWords {
  image: string;
  untitled: string;
}
const ENGLISH: PresentWords = { image: 'Image', untitled: 'Untitled event' };

const valueText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const rowText = (r: Row, image: string) => `${r.label ? `${r.label}: ` : ''}${r.type === 'image' ? image : valueText(r.content)}`;

export function contentPreview(event: Pick<EventDto, 'type' | 'content'>, max = PREVIEW, words: PresentWords = ENGLISH): string {
  const { type, content } = event;
  if (content === null) return '';
  const text = (
    type === 'text' ? String(content)
    : type === 'image' ? words.image
    : type === 'rows' && Array.isArray(content) ? (content as Row[]).map((r) => rowText(r, words.image)).join(' · ')
    : valueText(content)
  )
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The event's name, or a stand-in made from its content when it came without one. */
export function eventTitle(event: Pick<EventDto, 'name' | 'type' | 'content'>, words: PresentWords = ENGLISH): string {
  return event.name ?? (contentPreview(event, 80, words) || words.untitled);
}

/** Enough of an event to name it on another's card (a thread's newest event on its opener). */
export const summaryOf = (e: EventDto): EventSummary => ({ id: e.id, name: e.name, avatar: e.avatar, createdAt: e.createdAt });

/** How an event is named and previewed: one function for the feed, the event page and notifications. */
import type { EventDto, EventSummary } from './api.ts';
import type { Row } from './ingest.ts';

const PREVIEW = 140;

/**
 * The words a preview or a title says where the event gives none, in the reader's language: the PWA's
 * (src/features/feed/present.ts), a push's (contract/push.ts, from its recipient's `push` texts).
 */
export interface PresentWords {
  image: string;
  untitled: string;
}

const valueText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const rowText = (r: Row, image: string) => `${r.label ? `${r.label}: ` : ''}${r.type === 'image' ? image : valueText(r.content)}`;

export function contentPreview(event: Pick<EventDto, 'type' | 'content'>, max: number | undefined, words: PresentWords): string {
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
  const limit = max ?? PREVIEW;
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** The event's name, or a stand-in made from its content when it came without one. */
export function eventTitle(event: Pick<EventDto, 'name' | 'type' | 'content'>, words: PresentWords): string {
  return event.name ?? (contentPreview(event, 80, words) || words.untitled);
}

/** Enough of an event to name it on another's card (a thread's newest event on its opener). */
export const summaryOf = (e: EventDto): EventSummary => ({ id: e.id, name: e.name, avatar: e.avatar, createdAt: e.createdAt });

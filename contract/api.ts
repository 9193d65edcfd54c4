/** What the server answers the PWA: the read side of the wire format. */
import type { NormalizedAction, NormalizedEvent } from './ingest.ts';

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string | null };
}

export interface IngestAccepted {
  id: string;
  createdAt: string;
  warnings?: string[];
}

/** An action as the PWA sees it: its expiry is a time, and its meta stays on the server. */
export interface ActionDto extends Omit<NormalizedAction, 'expireIn' | 'meta'> {
  expiresAt: string;
}

/** A stored event as the PWA sees it: the normalised event plus what the server adds. */
export interface EventDto extends Omit<NormalizedEvent, 'actions'> {
  id: string;
  createdAt: string;
  /** The thread-opening event this one belongs to, when it came. */
  parentId: string | null;
  /** How many later events the thread this event opens holds. */
  threadCount: number;
  actions: ActionDto[];
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
  thread: EventDto[];
  serverTime: string;
}

export interface CategoryCount {
  category: string;
  count: number;
}

export interface Me {
  id: string;
  email: string;
}

export interface AuthStatus {
  setupRequired: boolean;
  user: Me | null;
}

export interface ApiKeyDto {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyDto {
  /** The secret, shown once. */
  key: string;
}

/** Names of the live channel's SSE message types. */
export const LIVE_MESSAGES = { event: 'event', reset: 'reset' } as const;

export const FEED_PAGE_SIZE = { default: 50, max: 200 } as const;

import { lazyRetry } from '../../lib/lazy.ts';

/** An event's page (details, attempts, delete) loads when one is opened: the feed's first screen stays small. */
export const EventPage = lazyRetry(() => import('../feed/EventPage.tsx').then((m) => ({ default: m.EventPage })));

/** An event opened from the All projects feed, shown in its own project (its routes, its role). */
export const AllProjectsEvent = lazyRetry(() => import('../feed/AllProjectsEvent.tsx').then((m) => ({ default: m.AllProjectsEvent })));

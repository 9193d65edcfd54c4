import { lazy } from 'react';

/** An event's page (details, attempts, delete) loads when one is opened: the feed's first screen stays small. */
export const EventPage = lazy(() => import('../feed/EventPage.tsx').then((m) => ({ default: m.EventPage })));

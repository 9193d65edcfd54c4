/**
 * The "All projects" feed (the app's /all): GET /api/all/events (and one event, to open it beside
 * that feed) here and GET /api/all/stream
 * (./stream.ts) read every project the person sees at once, newest first, each event labelled with
 * its project's slug. They are the project feed and stream over a set of projects taken when the
 * request comes: a change of the person's access ends their streams (the stream registry), and the
 * client reconnects with the new set.
 */
import type { FastifyInstance } from 'fastify';
import type { EventDetail, FeedPage } from '../../contract/api.ts';
import { ApiError } from '../http/errors.ts';
import type { SessionAuth, SessionUser } from '../auth/session.ts';
import { SIGNED_IN } from '../http/access.ts';
import type { AppStore as Store } from '../store/types.ts';
import { eventDetail, feedPage } from './read.ts';
import { visibleProjects } from '../projects/visible.ts';

/** The person's projects, by id, with the labeller that names an event's project by its slug. */
export async function allProjectsScope(store: Store, user: SessionUser) {
  const slugs = new Map((await visibleProjects(store, user)).map(({ row }) => [row.id, row.slug]));
  return { projectIds: [...slugs.keys()], label: (projectId: number) => slugs.get(projectId) ?? '' };
}

/** GET /api/all/events: the feed's pages (same query, same cursor) across the person's projects. */
export function allEventsRoute(app: FastifyInstance, { store, auth, now }: { store: Store; auth: SessionAuth; now: () => number }) {
  app.get('/api/all/events', SIGNED_IN, async (request): Promise<FeedPage> => {
    const user = auth.requireUser(request);
    const { projectIds, label } = await allProjectsScope(store, user);
    return feedPage(store, now, projectIds, request.query, label, user.id);
  });
}

/** GET /api/all/events/:id: an event of any of the person's projects, with its project's slug; 404 for any other. */
export function allEventRoute(app: FastifyInstance, { store, auth, now }: { store: Store; auth: SessionAuth; now: () => number }) {
  app.get<{ Params: { id: string } }>('/api/all/events/:id', SIGNED_IN, async (request): Promise<EventDetail> => {
    const { label } = await allProjectsScope(store, auth.requireUser(request));
    const found = await store.events.byId(request.params.id);
    const slug = found ? label(found.projectId) : '';
    // Another project's event is as absent here as one that never was.
    if (!found || slug === '') throw new ApiError(404, 'not_found', 'no such event');
    const detail = await eventDetail(store, now, found.projectId, request.params.id);
    return { ...detail, event: { ...detail.event, project: slug } };
  });
}

/** The feed's routes for the app: cursor pages, one event with its thread, handled, delete, categories. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EventDetail, EventDto, FeedPage } from '../../contract/api.ts';
import type { TriageCounts } from '../../contract/triage.ts';
import { ApiError } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore as Store } from '../store/types.ts';
import { allEventRoute, allEventsRoute } from './allProjects.ts';
import { eventDetail, feedPage, feedQuery, isTest, modeParam } from './read.ts';
import type { SessionAuth } from '../auth/session.ts';
import { ADMIN, doc, documentRoutes, MEMBER, projectOf, VIEWER } from '../http/access.ts';
import { audit } from '../audit/log.ts';
import { projectPaths } from '../http/projectPaths.ts';
import { changeState } from '../triage/stateChange.ts';

export const handledBody = z.object({ handled: z.boolean({ error: 'must be true or false' }) });
export const categoriesQuery = z.object({ test: modeParam });

export interface FeedRoutesOptions {
  store: Store;
  auth: SessionAuth;
  now: () => number;
}

export async function feedRoutes(app: FastifyInstance, { store, auth, now }: FeedRoutesOptions) {
  const feed = async (request: FastifyRequest): Promise<FeedPage> => feedPage(store, now, projectOf(request).id, request.query, null, auth.requireUser(request).id);
  const feedDoc = doc(VIEWER, { tag: 'Feed', summary: 'A page of the feed: filters, search, cursor', query: feedQuery });
  for (const url of projectPaths('events')) app.get(url, feedDoc, feed);
  // allProjects.ts registers these with bare access: their documentation is given here until it passes doc().
  documentRoutes(app, {
    'GET /api/all/events': { tag: 'Feed', summary: 'A page of the feed across all your projects, each event with its project’s slug', query: feedQuery },
    'GET /api/all/events/:id': { tag: 'Feed', summary: 'One event of any of your projects (with its project’s slug), its thread and attempts' },
  });
  allEventsRoute(app, { store, auth, now });
  allEventRoute(app, { store, auth, now });

  const detail = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<EventDetail> =>
    eventDetail(store, now, projectOf(request).id, request.params.id);
  const detailDoc = doc(VIEWER, { tag: 'Feed', summary: 'One event with its thread and presses' });
  for (const url of projectPaths('events/:id')) app.get(url, detailDoc, detail);

  // Any member marks an event handled (or not any more): everyone sees who, live; it is audited.
  const handled = doc(MEMBER, { tag: 'Feed', summary: 'Mark an event handled, or not', body: handledBody });
  for (const url of projectPaths('events/:id/handled')) {
    app.put<{ Params: { id: string } }>(url, handled, async (request): Promise<EventDto> => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const body = parseOr400(handledBody, request.body);
      const found = await store.events.byId(request.params.id);
      if (!found || found.projectId !== project.id) throw new ApiError(404, 'not_found', 'no such event');
      const at = now();
      const changed = await store.transaction(async (tx) => {
        // Handled is resolved (§12); not handled any more is open again. The devices that got its push
        // hear it was handled (their notification is replaced, buttons gone).
        return changeState(tx, {
          seq: found.seq,
          event: found.event,
          projectId: project.id,
          change: body.handled ? 'resolve' : 'reopen',
          by: { id: user.id, email: user.email, name: user.name ?? '' },
          actor: user,
          at,
          audit: { kind: 'event.handled', detail: { handled: body.handled } },
          notice: body.handled ? 'handled' : null,
        });
      });
      if (changed && body.handled) store.wakePush();
      // Every open app hears of it from the live log (the store announces the commit).
      return (await store.events.bySeq(found.seq))!;
    });
  }

  // An admin deletes an event and the thread it opens; every open app is told, and it is audited.
  const remove = doc(ADMIN, { tag: 'Feed', summary: 'Delete an event and the thread it opens', status: 204 });
  for (const url of projectPaths('events/:id')) {
    app.delete<{ Params: { id: string } }>(url, remove, async (request, reply) => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const found = await store.events.byId(request.params.id);
      if (!found || found.projectId !== project.id) throw new ApiError(404, 'not_found', 'no such event');
      const at = now();
      const removed = await store.transaction(async (tx) => {
        const gone = await tx.events.remove(found.seq);
        if (!gone) return null;
        await audit(tx, project.id, user, 'event.deleted', found.event.id, at, { eventName: found.event.name, removed: gone.removed.length });
        // Every open app hears of each deletion from the live log (the store announces the commit).
        for (const ref of gone.removed) await tx.events.recordDeletion(ref, found.seq, project.id, at);
        return gone.removed.length;
      });
      if (removed === null) throw new ApiError(404, 'not_found', 'no such event');
      request.log.info({ project: project.slug, removed }, 'event deleted');
      reply.code(204).send();
    });
  }

  const countsDoc = doc(VIEWER, { tag: 'Feed', summary: 'How many events are open, acknowledged, and assigned to you (each at most 1000)', query: categoriesQuery });
  for (const url of projectPaths('triage-counts')) {
    app.get(url, countsDoc, async (request): Promise<TriageCounts> => {
      const { test } = parseOr400(categoriesQuery, request.query);
      return store.overview.triageCounts(projectOf(request).id, isTest(test), auth.requireUser(request).id, now());
    });
  }

  const categories = doc(VIEWER, { tag: 'Feed', summary: 'Categories with their event counts', query: categoriesQuery });
  for (const url of projectPaths('categories')) {
    app.get(url, categories, async (request) => {
      const q = parseOr400(categoriesQuery, request.query);
      return { categories: await store.events.categories(projectOf(request).id, isTest(q.test)) };
    });
  }
}

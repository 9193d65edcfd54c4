/** The feed's routes for the app: cursor pages, one event with its thread, handled, delete, categories. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EventDetail, EventDto, FeedPage } from '../../contract/api.ts';
import { ApiError } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore as Store } from '../store/types.ts';
import { allEventRoute, allEventsRoute } from './allProjects.ts';
import { eventDetail, feedPage, isTest, modeParam } from './read.ts';
import type { SessionAuth } from '../auth/session.ts';
import { ADMIN, MEMBER, projectOf, VIEWER } from '../http/access.ts';
import type { DeletionLiveEntry } from '../store/eventRows.ts';
import { audit } from '../projects/audit.ts';
import type { LiveHub } from './liveHub.ts';
import { projectPaths } from '../projects/paths.ts';

export const handledBody = z.object({ handled: z.boolean({ error: 'must be true or false' }) });
export const categoriesQuery = z.object({ test: modeParam });

export interface FeedRoutesOptions {
  store: Store;
  auth: SessionAuth;
  live: LiveHub;
  now: () => number;
}

export async function feedRoutes(app: FastifyInstance, { store, auth, live, now }: FeedRoutesOptions) {
  const feed = async (request: FastifyRequest): Promise<FeedPage> => feedPage(store, now, projectOf(request).id, request.query);
  for (const url of projectPaths('events')) app.get(url, VIEWER, feed);
  allEventsRoute(app, { store, auth, now });
  allEventRoute(app, { store, auth, now });

  const detail = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<EventDetail> =>
    eventDetail(store, now, projectOf(request).id, request.params.id);
  for (const url of projectPaths('events/:id')) app.get(url, VIEWER, detail);

  // Any member marks an event handled (or not any more): everyone sees who, live; it is audited.
  for (const url of projectPaths('events/:id/handled')) {
    app.put<{ Params: { id: string } }>(url, MEMBER, async (request): Promise<EventDto> => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const body = parseOr400(handledBody, request.body);
      const found = await store.events.byId(request.params.id);
      if (!found || found.projectId !== project.id) throw new ApiError(404, 'not_found', 'no such event');
      const at = now();
      const liveSeq = await store.transaction(async (tx) => {
        if (!(await tx.events.setHandled(found.seq, body.handled ? user.email : null, at))) return null;
        await audit(tx, project.id, user, 'event.handled', found.event.id, at, { handled: body.handled, eventName: found.event.name });
        // The devices that got its push hear it was handled (their notification is replaced, buttons gone).
        if (body.handled) await tx.push.enqueueNotice(found.seq, 'handled', at);
        return tx.events.recordLive('update', found.seq, found.event.test, at);
      });
      if (liveSeq !== null && body.handled) store.wakePush();
      const entry = liveSeq === null ? null : await store.events.entryFor(liveSeq, 'update', found.seq);
      if (entry) live.publish(entry);
      return entry?.event ?? (await store.events.bySeq(found.seq))!;
    });
  }

  // An admin deletes an event and the thread it opens; every open app is told, and it is audited.
  for (const url of projectPaths('events/:id')) {
    app.delete<{ Params: { id: string } }>(url, ADMIN, async (request, reply) => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const found = await store.events.byId(request.params.id);
      if (!found || found.projectId !== project.id) throw new ApiError(404, 'not_found', 'no such event');
      const at = now();
      const entries = await store.transaction(async (tx) => {
        const gone = await tx.events.remove(found.seq);
        if (!gone) return null;
        await audit(tx, project.id, user, 'event.deleted', found.event.id, at, { eventName: found.event.name, removed: gone.removed.length });
        const out: DeletionLiveEntry[] = [];
        for (const ref of gone.removed) {
          out.push({ liveSeq: await tx.events.recordDeletion(ref, found.seq, project.id, at), projectId: project.id, kind: 'delete', event: ref });
        }
        return out;
      });
      if (!entries) throw new ApiError(404, 'not_found', 'no such event');
      for (const entry of entries) live.publish(entry);
      request.log.info({ project: project.slug, removed: entries.length }, 'event deleted');
      reply.code(204).send();
    });
  }

  for (const url of projectPaths('categories')) {
    app.get(url, VIEWER, async (request) => {
      const q = parseOr400(categoriesQuery, request.query);
      return { categories: await store.events.categories(projectOf(request).id, isTest(q.test)) };
    });
  }
}

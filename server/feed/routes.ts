/** The read API of the feed: cursor pages with filters and search, one event with its thread. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type EventDetail, type EventDto, FEED_PAGE_SIZE, type FeedPage } from '../../contract/api.ts';
import { LIMITS } from '../../contract/limits.ts';
import { ApiError, badField } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore as Store } from '../store/appStore.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { SessionAuth } from '../auth/session.ts';
import { ADMIN, MEMBER, projectOf, VIEWER } from '../http/access.ts';
import type { DeletionLiveEntry } from '../store/eventRows.ts';
import { audit } from '../projects/audit.ts';
import type { LiveHub } from './liveHub.ts';
import { projectPaths } from '../projects/paths.ts';

export interface FeedRoutesOptions {
  store: Store;
  auth: SessionAuth;
  live: LiveHub;
  now: () => number;
}

const modeParam = z.enum(['0', '1', 'true', 'false'], { error: 'must be 0 or 1' }).optional();
const isTest = (v: string | undefined) => v === '1' || v === 'true';
const optionalText = (max: number) =>
  z.string().max(max, { error: `must be at most ${max} characters` }).optional().transform((v) => (v ? v : null));

const feedQuery = z.object({
  test: modeParam,
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: `must be from 1 to ${FEED_PAGE_SIZE.max}` })
    .max(FEED_PAGE_SIZE.max, { error: `must be from 1 to ${FEED_PAGE_SIZE.max}` })
    .default(FEED_PAGE_SIZE.default),
  cursor: z.string().max(100, { error: 'is not a valid cursor' }).optional(),
  category: optionalText(64),
  q: optionalText(200),
  user: optionalText(LIMITS.userId),
  unhandled: modeParam,
});

export async function feedRoutes(app: FastifyInstance, { store, auth, live, now }: FeedRoutesOptions) {
  const feed = async (request: FastifyRequest): Promise<FeedPage> => {
    const project = projectOf(request);
    const q = parseOr400(feedQuery, request.query);
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    if (q.cursor && !cursor) throw badField('cursor', 'is not a valid cursor');
    // Read the live position first: anything after it reaches the client over SSE.
    const lastSeq = await store.events.lastLiveSeq();
    const page = await store.events.feed({
      projectId: project.id,
      test: isTest(q.test),
      limit: q.limit,
      cursor,
      category: q.category,
      search: q.q,
      unhandled: isTest(q.unhandled),
      userId: q.user,
    });
    return {
      events: page.events,
      nextCursor: page.next ? encodeCursor(page.next) : null,
      serverTime: new Date(now()).toISOString(),
      lastSeq,
    };
  };
  for (const url of projectPaths('events')) app.get(url, VIEWER, feed);

  const detail = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<EventDetail> => {
    const project = projectOf(request);
    const found = await store.events.byId(request.params.id);
    // Another project's event is as absent here as one that never was.
    if (!found || found.projectId !== project.id) throw new ApiError(404, 'not_found', 'no such event');
    return {
      event: found.event,
      sentBy: found.apiKeyId === null ? null : await store.apiKeys.nameOf(found.apiKeyId),
      thread: found.event.contextStart ? await store.events.thread(found.seq) : [],
      attempts: await store.actions.history(found.seq),
      serverTime: new Date(now()).toISOString(),
    };
  };
  for (const url of projectPaths('events/:id')) app.get(url, VIEWER, detail);

  // Any member marks an event handled (or not any more): everyone sees who, live; it is audited.
  for (const url of projectPaths('events/:id/handled')) {
    app.put<{ Params: { id: string } }>(url, MEMBER, async (request): Promise<EventDto> => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      const body = parseOr400(z.object({ handled: z.boolean({ error: 'must be true or false' }) }), request.body);
      const found = await store.events.byId(request.params.id);
      if (!found || found.projectId !== project.id) throw new ApiError(404, 'not_found', 'no such event');
      const at = now();
      const liveSeq = await store.transaction(async (tx) => {
        if (!(await tx.events.setHandled(found.seq, body.handled ? user.email : null, at))) return null;
        await audit(tx, project.id, user, 'event.handled', found.event.id, at, { handled: body.handled, eventName: found.event.name });
        return tx.events.recordLive('update', found.seq, found.event.test, at);
      });
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
      const q = parseOr400(z.object({ test: modeParam }), request.query);
      return { categories: await store.events.categories(projectOf(request).id, isTest(q.test)) };
    });
  }
}

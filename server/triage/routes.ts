/**
 * Working an event together (§12): acknowledge, resolve, reopen, assign, snooze and notes on a
 * thread's opening event (or a lone event), under /api/projects/:slug/events/:id/ and the `default`
 * paths. Members and admins change; viewers read. Each change is one transaction with its timeline
 * entry, its audit entry and its live-log entry, so every open app on every instance hears of it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EventDto, Me } from '../../contract/api.ts';
import { MENTION_NOTICE } from '../../contract/push.ts';
import { assignBody, noteBody, notesQuery, snoozeBody } from '../../contract/triageBodies.ts';
import {
  mentioned,
  NOTES_PAGE,
  type NotesPage,
  type StateChange,
  snoozeRefusal,
  transitionRefusal,
} from '../../contract/triage.ts';
import type { AuditKind } from '../../contract/api.ts';
import { audit } from '../audit/log.ts';
import type { SessionAuth } from '../auth/session.ts';
import { doc, MEMBER, projectOf, type RequestProject, VIEWER } from '../http/access.ts';
import { ApiError, badField } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import { projectPaths } from '../http/projectPaths.ts';
import { newActivityId } from '../store/shared/triage.ts';
import { changeState } from './stateChange.ts';
import type { NewActivity, AppStore as Store, StoreRepositories } from '../store/types.ts';

export interface TriageRoutesOptions {
  store: Store;
  auth: SessionAuth;
  now: () => number;
}

type Params = { Params: { id: string } };

const CHANGES: Record<StateChange, { audit: AuditKind; notice: string | null; summary: string }> = {
  ack: { audit: 'event.acknowledged', notice: 'acknowledged', summary: 'Acknowledge an event (“I’m on it”)' },
  resolve: { audit: 'event.resolved', notice: 'handled', summary: 'Resolve an event' },
  reopen: { audit: 'event.reopened', notice: null, summary: 'Reopen an acknowledged or resolved event' },
};

/** Encodes a notes page's position (the last note's time and id). */
const cursorOf = (c: { at: number; id: string }) => Buffer.from(`${c.at}:${c.id}`).toString('base64url');
function cursorFrom(raw: string | undefined): { at: number; id: string } | null {
  if (raw === undefined) return null;
  const m = /^(\d{1,15}):(act_[\w-]{1,40})$/.exec(Buffer.from(raw, 'base64url').toString());
  if (!m) throw badField('before', 'is not a page of these notes');
  return { at: Number(m[1]), id: m[2]! };
}

export async function triageRoutes(app: FastifyInstance, { store, auth, now }: TriageRoutesOptions) {
  /** The event, in this project, that opens a thread or stands alone (a later event of a thread is changed through its opener). */
  async function opener(request: FastifyRequest<Params>) {
    const project = projectOf(request);
    const found = await store.events.byId(request.params.id);
    if (!found || found.projectId !== project.id) throw new ApiError(404, 'not_found', 'no such event');
    if (found.event.parentId !== null) {
      throw new ApiError(409, 'in_thread', `this event belongs to a thread: acknowledge, assign or resolve the thread’s first event (${found.event.parentId})`);
    }
    return { project, found };
  }

  const person = async (tx: StoreRepositories, user: Me) => ({ id: user.id, email: user.email, name: (await tx.users.byId(user.id))?.name ?? user.name ?? '' });

  /** Records a change that was made: its timeline entry, audit entry and live-log entry. */
  async function changed(tx: StoreRepositories, project: RequestProject, user: Me, event: EventDto, seq: number, entry: Omit<NewActivity, 'eventSeq' | 'by'>, auditKind: AuditKind, detail: Record<string, unknown>) {
    await tx.triage.record({ ...entry, eventSeq: seq, by: await person(tx, user) });
    await audit(tx, project.id, user, auditKind, event.id, entry.at, { eventName: event.name, ...detail });
    await tx.events.recordLive('update', seq, event.test, entry.at);
  }

  const current = async (seq: number): Promise<EventDto> => (await store.events.bySeq(seq))!;

  for (const [change, how] of Object.entries(CHANGES) as [StateChange, (typeof CHANGES)[StateChange]][]) {
    const route = doc(MEMBER, { tag: 'Feed', summary: how.summary });
    for (const url of projectPaths(`events/:id/${change}`)) {
      app.post<Params>(url, route, async (request): Promise<EventDto> => {
        const user = auth.requireUser(request);
        const { project, found } = await opener(request);
        const at = now();
        // The devices that got its push hear of it in place ("Acknowledged by Ana": the push is not repeated).
        const notice = found.event.notify ? how.notice : null;
        const done = await store.transaction(async (tx) =>
          changeState(tx, { seq: found.seq, event: found.event, projectId: project.id, change, by: await person(tx, user), actor: user, at, audit: { kind: how.audit }, notice }),
        );
        if (!done) {
          const now2 = await current(found.seq);
          throw new ApiError(409, 'invalid_transition', `cannot ${change === 'ack' ? 'acknowledge' : change} this event: ${transitionRefusal(now2.state, change) ?? 'it changed meanwhile'}`, 'state');
        }
        if (notice !== null) store.wakePush();
        return current(found.seq);
      });
    }
  }

  const assignDoc = doc(MEMBER, { tag: 'Feed', summary: 'Assign an event to a member of its project ({"userId": null} unassigns)', body: assignBody });
  for (const url of projectPaths('events/:id/assign')) {
    app.post<Params>(url, assignDoc, async (request): Promise<EventDto> => {
      const user = auth.requireUser(request);
      const { userId } = parseOr400(assignBody, request.body);
      const { project, found } = await opener(request);
      const assignee = userId === null ? null : await store.triage.member(project.id, userId);
      if (userId !== null && assignee === null) throw badField('userId', 'is not a member of this project');
      const at = now();
      await store.transaction(async (tx) => {
        if (!(await tx.triage.assign(found.seq, userId))) return;
        const entry = assignee === null ? { kind: 'unassigned' as const, at } : { kind: 'assigned' as const, at, detail: { assignee } };
        await changed(tx, project, user, found.event, found.seq, entry, 'event.assigned', { assignee: assignee?.email ?? null });
      });
      return current(found.seq);
    });
  }

  const snoozeDoc = doc(MEMBER, { tag: 'Feed', summary: 'Snooze an event until a time (at most 30 days): it leaves the default view, then comes back and is pushed again', body: snoozeBody });
  const unsnoozeDoc = doc(MEMBER, { tag: 'Feed', summary: 'End an event’s snooze' });
  for (const url of projectPaths('events/:id/snooze')) {
    app.post<Params>(url, snoozeDoc, async (request): Promise<EventDto> => {
      const user = auth.requireUser(request);
      const { until } = parseOr400(snoozeBody, request.body);
      const { project, found } = await opener(request);
      const at = now();
      const untilMs = Date.parse(until);
      const refusal = snoozeRefusal(untilMs, at);
      if (refusal) throw badField('until', refusal);
      if (found.event.state === 'resolved') throw new ApiError(409, 'invalid_transition', 'cannot snooze a resolved event: reopen it first', 'state');
      await store.transaction(async (tx) => {
        await tx.triage.snooze(found.seq, untilMs);
        await changed(tx, project, user, found.event, found.seq, { kind: 'snoozed', at, detail: { until: untilMs } }, 'event.snoozed', { until: new Date(untilMs).toISOString() });
      });
      return current(found.seq);
    });
    app.delete<Params>(url, unsnoozeDoc, async (request): Promise<EventDto> => {
      const user = auth.requireUser(request);
      const { project, found } = await opener(request);
      const at = now();
      await store.transaction(async (tx) => {
        if (!(await tx.triage.snooze(found.seq, null))) return;
        await changed(tx, project, user, found.event, found.seq, { kind: 'unsnoozed', at }, 'event.snoozed', { until: null });
      });
      return current(found.seq);
    });
  }

  const notesDoc = doc(VIEWER, { tag: 'Feed', summary: 'A page of an event’s notes, newest first', query: notesQuery });
  const noteDoc = doc(MEMBER, { tag: 'Feed', summary: 'Add a note to an event (plain text; @name mentions a member, who gets a push)', body: noteBody, status: 201 });
  for (const url of projectPaths('events/:id/notes')) {
    app.get<Params>(url, notesDoc, async (request): Promise<NotesPage> => {
      const q = parseOr400(notesQuery, request.query);
      const before = cursorFrom(q.before);
      const { found } = await opener(request);
      const page = await store.triage.notes(found.seq, before, q.limit ?? NOTES_PAGE);
      return { notes: page.notes, nextBefore: page.next === null ? null : cursorOf(page.next) };
    });
    app.post<Params>(url, noteDoc, async (request, reply) => {
      const user = auth.requireUser(request);
      const { text } = parseOr400(noteBody, request.body);
      const { project, found } = await opener(request);
      const at = now();
      const id = newActivityId();
      const people = (await store.members.list(project.id)).map((m) => ({ id: m.user_id, email: m.email, name: m.name }));
      const named = mentioned(text, people).filter((p) => p.id !== user.id);
      await store.transaction(async (tx) => {
        await changed(tx, project, user, found.event, found.seq, { id, kind: 'note', at, text }, 'event.noted', { mentions: named.map((p) => p.email) });
        for (const p of named) await tx.push.enqueueFor(p.id, found.seq, `${MENTION_NOTICE}${id}`, at);
      });
      if (named.length > 0) store.wakePush();
      reply.code(201);
      return { note: await store.triage.entry(id), mentioned: named };
    });
  }
}

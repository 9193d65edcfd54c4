/**
 * GET /api/stream: the live channel (Server-Sent Events) of one project; /api/all/stream (./allProjects.ts)
 * serves several with the same code. Every message carries the live-log seq as its id, so a reconnect
 * (Last-Event-ID, or ?after= from the last page read) resumes without a gap.
 *
 * Memory stays bounded whatever a client does: a replay is counted before anything is loaded and
 * sent a page at a time, waiting for the socket to drain; a live stream whose unsent data passes
 * STREAM_BUFFER_BYTES is cut (its client resumes from its last id); and the registry caps how many
 * streams a session and a person may hold.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LIVE_MESSAGES } from '../../contract/api.ts';
import type { SessionAuth } from '../auth/session.ts';
import { projectOf, SIGNED_IN, VIEWER } from '../http/access.ts';
import { projectPaths } from '../http/projectPaths.ts';
import { parseOr400 } from '../http/parse.ts';
import type { LiveEntry } from '../store/eventRows.ts';
import type { AppStore as Store } from '../store/types.ts';
import { allProjectsScope } from './allProjects.ts';
import type { LiveHub } from './liveHub.ts';
import type { StreamRegistry } from './streamRegistry.ts';

/** More missed entries than this: the client is told to reload its pages instead (`reset`). */
export const REPLAY_LIMIT = 500;
/** Entries read per page of a replay: with 64 KB events a page is about 1 MB of a stream's memory. */
const REPLAY_PAGE = 16;
/** Unsent bytes a live stream may hold before it is cut. Several of the largest events fit. */
export const STREAM_BUFFER_BYTES = 1024 * 1024;
/** Entries published during a replay that a stream keeps aside for after it. */
const EARLY_LIMIT = 1000;
/** How long an ended stream may take to flush before its socket is dropped. */
const END_GRACE_MS = 5_000;
const HEARTBEAT_MS = 20_000;

export const streamQuery = z.object({
  test: z.enum(['0', '1'], { error: 'must be 0 or 1' }).optional(),
  after: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }).optional(),
});

// One entry goes to every open stream: serialise it once (and once more labelled with its project).
const frames = new WeakMap<LiveEntry, string>();
const labelledFrames = new WeakMap<LiveEntry, string>();
function frame(entry: LiveEntry, label: ((projectId: number) => string) | null): string {
  const cache = label ? labelledFrames : frames;
  let text = cache.get(entry);
  if (text === undefined) {
    // A deletion says only which event is gone; the others carry the event as it now stands.
    const event = label ? { ...entry.event, project: label(entry.projectId) } : entry.event;
    const message = { liveSeq: entry.liveSeq, kind: entry.kind, event };
    text = `id: ${entry.liveSeq}\nevent: ${LIVE_MESSAGES.event}\ndata: ${JSON.stringify(message)}\n\n`;
    cache.set(entry, text);
  }
  return text;
}

/** Resolves when the socket can take more (true), or when it closed (false). */
function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

export interface StreamRoutesOptions {
  store: Store;
  auth: SessionAuth;
  live: LiveHub;
  streams: StreamRegistry;
}

/** What one stream carries: the projects taken when it opened, and how its events are labelled. */
export interface StreamScope {
  projectIds: readonly number[];
  /** The project's slug for each event (a cross-project stream), or null: events go unlabelled. */
  label: ((projectId: number) => string) | null;
  /**
   * An entry of a project outside the set: true ends the stream (its client reconnects with the new
   * set and resumes from its last id, so it misses nothing). Entries outside are otherwise skipped.
   */
  endOnOther: boolean;
  /**
   * Read again once the stream is registered (so that a later change of access closes it): false
   * when the set changed between reading it and registering — the stream ends, and its client comes
   * back with the new set.
   */
  stillCurrent?: () => Promise<boolean>;
}

/** Serves one live stream of `scope`'s projects on a hijacked reply: the same for one project or several. */
export async function serveStream(
  request: FastifyRequest,
  reply: FastifyReply,
  { store, auth, live, streams }: StreamRoutesOptions,
  scope: StreamScope,
): Promise<void> {
  const user = auth.requireUser(request);
  const q = parseOr400(streamQuery, request.query);
  const test = q.test === '1';
  const header = request.headers['last-event-id'];
  const resumeFrom = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : null;
  const after = resumeFrom ?? q.after ?? (await store.events.lastLiveSeq());
  const inScope = new Set(scope.projectIds);

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store, no-transform',
    // One stream, one connection: when it ends, so does the socket (the client opens a new one).
    connection: 'close',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  // A HEAD answer has no body, so Node never sends the headers of a stream that never ends: end it here.
  if (request.method === 'HEAD') return void res.end();

  let open = true;
  let liveMode = false;
  let lastSent = after;
  const cleanups: (() => void)[] = [];
  const finish = (how: 'end' | 'cut') => {
    if (!open) return;
    open = false;
    for (const fn of cleanups.splice(0)) fn();
    // A client that is not reading would never take a clean end: drop it at once.
    if (how === 'cut' || res.writableNeedDrain) return void res.destroy();
    res.end();
    setTimeout(() => {
      if (!res.writableFinished) res.destroy();
    }, END_GRACE_MS).unref();
  };
  res.on('close', () => finish('cut'));
  const send = (entry: LiveEntry) => {
    if (!open || entry.liveSeq <= lastSent) return;
    lastSent = entry.liveSeq;
    res.write(frame(entry, scope.label));
    // Live data cannot wait for a slow reader: past the bound the stream is cut, and the client
    // resumes from the last id it got.
    if (liveMode && res.writableLength > STREAM_BUFFER_BYTES) {
      request.log.info({ userId: user.id, unsent: res.writableLength }, 'live stream cut: its client is not reading');
      finish('cut');
    }
  };

  const registration = { userId: user.id, sessionHash: user.sessionHash, close: () => finish('end') };
  cleanups.push(streams.add(registration));
  // What is published while the replay reads the store is kept aside and sent once it is done
  // (send() skips what the replay already sent): reading the store waits, so an entry could
  // otherwise be published between the last page and going live, and be lost.
  const early: LiveEntry[] = [];
  cleanups.push(
    live.subscribe(
      (entry) => {
        if (entry.event.test !== test) return;
        if (!inScope.has(entry.projectId)) {
          if (scope.endOnOther && entry.liveSeq > lastSent) finish('end');
          return;
        }
        if (liveMode) send(entry);
        else if (early.length < EARLY_LIMIT) early.push(entry);
        else finish('cut'); // far behind before it even started: the client resumes from its last id
      },
      () => finish('end'),
    ),
  );
  if (scope.stillCurrent && !(await scope.stillCurrent())) return finish('end');
  const heartbeat = setInterval(() => {
    if (open) res.write(': ping\n\n');
  }, HEARTBEAT_MS);
  cleanups.push(() => clearInterval(heartbeat));

  res.write('retry: 2000\n\n');
  const missed = await store.events.countLiveAfter(scope.projectIds, after, test, REPLAY_LIMIT + 1);
  // Ended while the store answered (closed, or its person's access changed): nothing more to write.
  if (!open) return;
  if (missed > REPLAY_LIMIT) {
    // Too far behind to replay: tell the client to reload its pages, and go on from now.
    lastSent = await store.events.lastLiveSeq();
    if (!open) return;
    res.write(`id: ${lastSent}\nevent: ${LIVE_MESSAGES.reset}\ndata: {}\n\n`);
  } else {
    // Page by page from the store, each entry waiting for the socket to take the last one, up to
    // what the log held when the replay began: what is published meanwhile is kept aside (`early`)
    // and sent when the stream goes live. Chasing the log's end instead would never go live while
    // events arrive faster than a page is read (a stream resumed under load got nothing for 40 s).
    const target = await store.events.lastLiveSeq();
    while (lastSent < target) {
      const page = await store.events.liveAfter(scope.projectIds, lastSent, test, REPLAY_PAGE);
      let waited = false;
      for (const entry of page) {
        send(entry);
        if (res.writableNeedDrain) {
          waited = true;
          if (!(await drained(res))) return;
        }
        if (!open) return;
      }
      if (page.length < REPLAY_PAGE && !waited) break;
    }
  }
  liveMode = open;
  for (const entry of early.splice(0)) send(entry);
}

export async function streamRoutes(app: FastifyInstance, options: StreamRoutesOptions) {
  const stream = (request: FastifyRequest, reply: FastifyReply) =>
    serveStream(request, reply, options, { projectIds: [projectOf(request).id], label: null, endOnOther: false });
  for (const url of projectPaths('stream')) app.get(url, VIEWER, stream);

  // Across the person's projects (the app's /all), each event labelled with its project's slug.
  app.get('/api/all/stream', SIGNED_IN, async (request, reply) => {
    const user = options.auth.requireUser(request);
    const { projectIds, label } = await allProjectsScope(options.store, user);
    // An owner sees every project: an entry of one created since the stream opened ends it, and
    // its client comes back with the new set (no one else gains a project without being told).
    // Removed from a project while this was read, before the stream was registered where a removal
    // closes it: read again once registered.
    const same = (ids: readonly number[]) => ids.length === projectIds.length && ids.every((id) => projectIds.includes(id));
    const stillCurrent = async () => same((await allProjectsScope(options.store, user)).projectIds);
    await serveStream(request, reply, options, { projectIds, label, endOnOther: user.role === 'owner', stillCurrent });
  });
}

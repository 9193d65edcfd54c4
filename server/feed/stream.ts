/**
 * GET /api/stream: the live channel (Server-Sent Events). Every message carries the live-log seq as
 * its id, so a reconnect (Last-Event-ID, or ?after= from the last page read) resumes without a gap.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LIVE_MESSAGES } from '../../contract/api.ts';
import type { SessionAuth } from '../auth/session.ts';
import { parseOr400 } from '../http/parse.ts';
import type { LiveEntry } from '../store/events.ts';
import type { Store } from '../store/index.ts';
import type { LiveHub } from './liveHub.ts';

const REPLAY_LIMIT = 500;
const HEARTBEAT_MS = 20_000;

const streamQuery = z.object({
  test: z.enum(['0', '1'], { error: 'must be 0 or 1' }).optional(),
  after: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }).optional(),
});

export async function streamRoutes(app: FastifyInstance, opts: { store: Store; auth: SessionAuth; live: LiveHub }) {
  const { store, auth, live } = opts;

  app.get('/api/stream', async (request, reply) => {
    auth.requireUser(request);
    const q = parseOr400(streamQuery, request.query);
    const test = q.test === '1';
    const header = request.headers['last-event-id'];
    const resumeFrom = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : null;
    const after = resumeFrom ?? q.after ?? store.events.lastLiveSeq();

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    // A HEAD answer has no body, so Node never sends the headers of a stream that never ends: end it here.
    if (request.method === 'HEAD') return void res.end();
    res.write('retry: 2000\n\n');

    let lastSent = after;
    let replaying = true;
    const buffered: LiveEntry[] = [];
    const send = (entry: LiveEntry) => {
      if (entry.liveSeq <= lastSent) return;
      lastSent = entry.liveSeq;
      res.write(`id: ${entry.liveSeq}\nevent: ${LIVE_MESSAGES.event}\ndata: ${JSON.stringify(entry)}\n\n`);
    };
    const close = () => res.end();
    const unsubscribe = live.subscribe((entry) => {
      if (entry.event.test !== test) return;
      if (replaying) buffered.push(entry);
      else send(entry);
    }, close);

    const missed = store.events.liveAfter(after, test, REPLAY_LIMIT + 1);
    if (missed.length > REPLAY_LIMIT) {
      // Too far behind to replay: tell the client to reload its pages, and go on from now.
      lastSent = store.events.lastLiveSeq();
      res.write(`id: ${lastSent}\nevent: ${LIVE_MESSAGES.reset}\ndata: {}\n\n`);
    } else {
      for (const entry of missed) send(entry);
    }
    replaying = false;
    for (const entry of buffered) send(entry);

    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}

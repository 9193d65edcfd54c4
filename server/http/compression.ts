/**
 * The API's read answers compressed (Brotli or gzip, as the client accepts): a feed page of 50 events
 * is ~32 KB of JSON and ~2.5 KB compressed, which on a phone's slow link is most of the wait for the
 * first screen's cards.
 *
 * - JSON only. The built app is compressed once at build time (scripts/compress-dist.mjs); the live
 *   stream (text/event-stream) must reach the browser event by event, not in zlib's blocks.
 * - Answers to GET (and HEAD) only. The answers that carry a secret the server shows once (an API key,
 *   a signing secret) answer a POST or PUT, and are never compressed. A compressed answer that mixes a
 *   secret with a guess of an attacker's is what BREACH measures; it also needs the victim's browser
 *   to send many signed-in requests for the attacker, which the session cookie's SameSite=Lax refuses
 *   to every other site's scripts.
 * - Not under 1 KB (no gain).
 * - Request bodies are never inflated: a small gzip body can grow far past the body limit in memory,
 *   so a body with `Content-Encoding` is read as sent (and refused as not JSON).
 *
 * Register before any route: the routes' `compress` option is settled as they are added.
 */
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

const READS = new Set(['GET', 'HEAD']);

export async function compression(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (![route.method].flat().every((m) => READS.has(m))) route.compress = false;
  });
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    customTypes: /^application\/json(?:;|$)/,
    threshold: 1024,
    globalDecompression: false,
  });
}

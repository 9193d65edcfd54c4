/**
 * Batches on POST /api/v1/log (CONTRACT §13): a JSON array of events, or NDJSON
 * (`application/x-ndjson`, one event per line). Each event is checked alone; the answer is 207 with
 * one result per event, in order. The body parsers of the ingest scope live here too: they record the
 * body's size, since a single event keeps its 100 KiB limit under a route that takes 5 MiB batches.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiErrorBody, IngestAccepted } from '../../contract/api.ts';
import { LIMITS } from '../../contract/limits.ts';
import { ApiError } from '../http/errors.ts';

/** At most this many events in one request. */
export const BATCH_MAX_EVENTS = 500;
/** The largest body a batch may be (a single event keeps LIMITS.bodyBytes). */
export const BATCH_MAX_BYTES = 5 * 1024 * 1024;

export type BatchResult = IngestAccepted | ApiErrorBody;
export interface BatchAnswer {
  results: BatchResult[];
}

/** One NDJSON line: its parsed value, or why it could not be read. */
export type BatchItem = { value: unknown } | ApiErrorBody;

/** What the NDJSON parser gives the route: a body that is a batch whatever its length. */
export class NdjsonBody {
  constructor(readonly lines: BatchItem[]) {}
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's size in bytes, as read (0 when there was none). */
    bodyBytes: number;
  }
}

const lineError = (n: number, message: string): ApiErrorBody => ({ error: { code: 'invalid_json', message: `line ${n} ${message}`, field: null } });

/** JSON as Fastify reads it (prototype poisoning refused), and NDJSON a line at a time; both record the size. */
export function batchParsers(app: FastifyInstance) {
  app.decorateRequest('bodyBytes', 0);
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, body, done) => {
    request.bodyBytes = Buffer.byteLength(body as string);
    done(null, body);
  });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.bodyBytes = Buffer.byteLength(body as string);
    json(request, body as string, done);
  });
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (request, body, done) => {
    request.bodyBytes = Buffer.byteLength(body as string);
    const lines: BatchItem[] = [];
    for (const [i, text] of (body as string).split('\n').entries()) {
      if (text.trim() === '') continue;
      json(request, text, (err, value) => {
        lines.push(err ? lineError(i + 1, 'is not valid JSON') : { value });
      });
    }
    done(null, new NdjsonBody(lines));
  });
}

/**
 * The events of a batch body, or null when the body is a single event. A batch beyond its limits is
 * refused whole (413 naming the limit), as is an empty one (400).
 */
export function batchItems(request: FastifyRequest): BatchItem[] | null {
  const body = request.body;
  let items: BatchItem[];
  if (body instanceof NdjsonBody) items = body.lines;
  else if (Array.isArray(body)) items = body.map((value) => ({ value }));
  else {
    if (request.bodyBytes > LIMITS.bodyBytes) {
      throw new ApiError(413, 'payload_too_large', `the body must be at most ${LIMITS.bodyBytes / 1024} KiB (a batch — a JSON array or NDJSON — may be ${BATCH_MAX_BYTES / 1024 / 1024} MiB)`);
    }
    return null;
  }
  if (items.length === 0) throw new ApiError(400, 'empty_batch', 'the batch holds no event');
  if (items.length > BATCH_MAX_EVENTS) {
    throw new ApiError(413, 'too_many_events', `a batch holds at most ${BATCH_MAX_EVENTS} events (this one has ${items.length}): split it`);
  }
  return items;
}

/** The Idempotency-Key of one event of a batch: the batch's key and its place (a header never holds a newline). */
export function itemIdempotencyKey(batchKey: string | null, index: number): string | null {
  return batchKey === null ? null : `${batchKey}\n${index}`;
}

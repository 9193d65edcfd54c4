/**
 * Reading a decision back (§11): at once, or — with a wait — as soon as it is made on any instance,
 * or expires, or the wait is up. One path for GET /api/v1/events/:id/decision and the MCP tools.
 */
import { asksQuestion, type DecisionDto, decisionOf, WAIT_MAX_SECONDS } from '../../contract/decisions.ts';
import { ApiError } from '../http/errors.ts';
import type { AppStore as Store } from '../store/types.ts';
import type { DecisionWaiters } from './waiters.ts';

export interface DecisionDeps {
  store: Store;
  now: () => number;
  waiters: DecisionWaiters;
}

export interface DecisionAsk {
  projectId: number;
  eventId: string;
  /** Seconds to wait for an answer (0: answer at once). */
  waitSeconds: number;
  /** The API key asking: its waits are counted. */
  keyId: string;
  /** The caller went away: stop waiting. */
  signal?: AbortSignal;
}

/** The event, if it is in the key's project (another project's is not found, as if it did not exist). */
async function question(store: Store, projectId: number, eventId: string) {
  const found = await store.events.byId(eventId);
  if (!found || found.projectId !== projectId) throw new ApiError(404, 'not_found', 'no such event');
  if (!asksQuestion(found.event)) throw new ApiError(404, 'no_question', 'this event asks nothing: it has no reply actions ("reply": true)');
  return found.event;
}

export async function readDecision(deps: DecisionDeps, ask: DecisionAsk): Promise<DecisionDto> {
  const { store, now, waiters } = deps;
  const wait = Math.min(Math.max(0, ask.waitSeconds), WAIT_MAX_SECONDS);
  const first = decisionOf(await question(store, ask.projectId, ask.eventId), now());
  if (wait === 0 || first.status !== 'pending' || ask.signal?.aborted) return first;
  // Until the wait is up, or the question expires (then the answer is `expired`, never implied).
  const until = Math.min(now() + wait * 1000, first.expiresAt === null ? Infinity : Date.parse(first.expiresAt));
  // Registered before the second read: an answer committed in between still ends the wait.
  const w = waiters.wait(ask.eventId, ask.keyId, until);
  const stop = () => w.cancel();
  ask.signal?.addEventListener('abort', stop, { once: true });
  try {
    const again = decisionOf(await question(store, ask.projectId, ask.eventId), now());
    if (again.status !== 'pending') return again;
    await w.settled;
    return decisionOf(await question(store, ask.projectId, ask.eventId), now());
  } finally {
    w.cancel();
    ask.signal?.removeEventListener('abort', stop);
  }
}

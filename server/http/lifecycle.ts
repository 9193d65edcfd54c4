/**
 * Liveness, readiness and draining. `/healthz` says the process answers (no store access, so a probe
 * every few seconds costs nothing); `/readyz` says the store answers a read and a write. Once the
 * server is closing, every new request — on a keep-alive connection that was busy, or pipelined —
 * gets 503 with `Connection: close`, so load balancers move on while in-flight work finishes.
 */
import type { FastifyInstance } from 'fastify';
import type { AppStore } from '../store/types.ts';
import { PUBLIC } from './access.ts';
import { ApiError } from './errors.ts';

/** Call before the access guard: a closing server answers 503 whoever asks. */
export function refuseWhileClosing(app: FastifyInstance): void {
  let draining = false;
  app.addHook('onRequest', async (_request, reply) => {
    if (!draining) return;
    reply.header('connection', 'close');
    throw new ApiError(503, 'shutting_down', 'the server is shutting down: try again in a moment', null, { 'retry-after': '1' });
  });
  app.addHook('preClose', async () => {
    draining = true;
  });
}

/** `/readyz` answers within this long: 503 when the store has not answered by then. */
export const READY_WITHIN_MS = 1_000;

/** Call after the access guard, which records each route's declared access. */
export function healthRoutes(app: FastifyInstance, store: AppStore): void {
  app.get('/healthz', PUBLIC, async () => ({ ok: true }));

  app.get('/readyz', PUBLIC, async (request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      // Within a second, whatever the load: a probe that hangs is worse than a probe that says no.
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), READY_WITHIN_MS);
      });
      if (await Promise.race([store.healthy(), late])) return { ok: true };
    } catch (err) {
      request.log.warn({ err: (err as Error).message }, 'readiness check failed');
    } finally {
      clearTimeout(timer);
    }
    return reply.code(503).send({ ok: false });
  });
}

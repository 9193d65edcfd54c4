/** The trigger API and the webhook secret, for signed-in sessions only: an API key can never press. */
import type { FastifyInstance } from 'fastify';
import type { TriggerResult } from '../../contract/api.ts';
import type { SessionAuth } from '../auth/session.ts';
import type { LiveHub } from '../feed/liveHub.ts';
import type { AppStore as Store } from '../store/appStore.ts';
import { pressAction, settleInterruptedPresses } from './press.ts';

/** How often running presses are checked for a lapsed lease (well inside the minute the contract allows). */
const SWEEP_EVERY_MS = 15_000;
import { rotateWebhookSecret, webhookSecret } from './secret.ts';
import { OWNER, SIGNED_IN } from '../http/access.ts';

export interface ActionRoutesOptions {
  store: Store;
  auth: SessionAuth;
  live: LiveHub;
  now: () => number;
  timeoutMs: number;
  allowPrivate: boolean;
  keepPrivateResponses: boolean;
}

export async function actionRoutes(app: FastifyInstance, opts: ActionRoutesOptions) {
  const { store, auth } = opts;
  const press = pressAction({ ...opts, log: app.log });

  // A press whose process died is settled by whichever instance notices its lease ran out.
  const sweep = setInterval(() => {
    settleInterruptedPresses(opts).then(
      (n) => n > 0 && app.log.warn({ settled: n }, 'presses of a stopped process settled as interrupted'),
      (err) => app.log.error({ err }, 'settling interrupted presses failed'),
    );
  }, SWEEP_EVERY_MS);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.post<{ Params: { id: string; key: string } }>('/api/events/:id/actions/:key/trigger', SIGNED_IN, async (request): Promise<TriggerResult> => {
    const user = auth.requireUser(request);
    return press(request.params.id, request.params.key, user);
  });

  app.get('/api/settings/webhook-secret', OWNER, async (request) => {
    auth.requireUser(request);
    return { secret: await webhookSecret(store) };
  });

  app.post('/api/settings/webhook-secret/rotate', OWNER, async (request) => {
    const user = auth.requireUser(request);
    request.log.info({ userId: user.id }, 'webhook secret rotated');
    return { secret: await rotateWebhookSecret(store) };
  });
}

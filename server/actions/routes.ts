/** The trigger API and the webhook secret, for signed-in sessions only: an API key can never press. */
import type { FastifyInstance } from 'fastify';
import type { TriggerResult } from '../../contract/api.ts';
import type { TriggerWaiting } from '../../contract/api.ts';
import { triggerBody } from '../../contract/decisionBodies.ts';
import { parseOr400 } from '../http/parse.ts';
import type { PressScheduler } from '../requests/scheduler.ts';
import { requestRoutes } from '../requests/routes.ts';
import type { SessionAuth } from '../auth/session.ts';
import type { AppStore as Store } from '../store/types.ts';
import { pressAction, settleInterruptedPresses } from './press.ts';
import type { Metrics } from '../metrics/metrics.ts';

/** How often running presses are checked for a lapsed lease (well inside the minute the contract allows). */
const SWEEP_EVERY_MS = 15_000;
import { rotateWebhookSecret, webhookSecret } from './secret.ts';
import { ADMIN, doc, projectOf } from '../http/access.ts';
import { audit } from '../audit/log.ts';
import { projectPaths } from '../http/projectPaths.ts';

export interface ActionRoutesOptions {
  store: Store;
  auth: SessionAuth;
  now: () => number;
  timeoutMs: number;
  leaseMarginMs: number;
  allowPrivate: boolean;
  keepPrivateResponses: boolean;
  metrics: Metrics;
  /** Sends the presses that waited (approvals, a delay) when they fall due. */
  scheduler: PressScheduler;
  /** A decision with a replyUrl was recorded: this process's reply sender looks now. */
  wakeReplies: () => void;
}

export async function actionRoutes(app: FastifyInstance, opts: ActionRoutesOptions) {
  const { store, auth } = opts;
  const { scheduler } = opts;
  const press = pressAction({ ...opts, log: app.log, wakeScheduler: scheduler.wake });
  requestRoutes(app, { store, auth, now: opts.now, wakeScheduler: scheduler.wake });

  // A press whose process died is settled by whichever instance notices its lease ran out.
  const sweep = setInterval(() => {
    settleInterruptedPresses(opts).then(
      (n) => n > 0 && app.log.warn({ settled: n }, 'presses of a stopped process settled as interrupted'),
      (err) => app.log.error({ err }, 'settling interrupted presses failed'),
    );
  }, SWEEP_EVERY_MS);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  // The project is the event's: a person who is not a member of it is told the event does not exist.
  app.post<{ Params: { id: string; key: string } }>(
    '/api/events/:id/actions/:key/trigger',
    doc(
      { config: { access: 'member', projectOf: 'event' } },
      { tag: 'Actions', summary: 'Press a webhook or reply action (after the app’s confirm step; {input} when it asks); 202 when it must wait', body: triggerBody },
    ),
    async (request, reply): Promise<TriggerResult | TriggerWaiting> => {
      const body = parseOr400(triggerBody, request.body);
      const answer = await press(request.params.id, request.params.key, auth.requireUser(request), projectOf(request), request.log, body?.input ?? null);
      // A press that must wait (a delay, approvals) is stored and answered at once.
      if ('status' in answer) reply.code(202);
      return answer;
    },
  );

  const secret = doc(ADMIN, { tag: 'Keys', summary: 'The webhook signing secret' });
  for (const url of projectPaths('webhook-secret', '/api/settings/webhook-secret')) {
    app.get(url, secret, async (request) => ({ secret: await webhookSecret(store, projectOf(request).id) }));
  }

  const rotate = doc(ADMIN, { tag: 'Keys', summary: 'Rotate the webhook signing secret' });
  for (const url of projectPaths('webhook-secret/rotate', '/api/settings/webhook-secret/rotate')) {
    app.post(url, rotate, async (request) => {
      const user = auth.requireUser(request);
      const project = projectOf(request);
      request.log.info({ userId: user.id, project: project.slug }, 'webhook secret rotated');
      const secret = await store.transaction(async (tx) => {
        const rotated = await rotateWebhookSecret(tx, project.id);
        await audit(tx, project.id, user, 'secret.rotated', null, opts.now());
        return rotated;
      });
      return { secret };
    });
  }
}

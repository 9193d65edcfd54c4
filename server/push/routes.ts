/** The push API of the session: the VAPID public key, this person's devices, and a test push. */
import { createECDH } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  type PushDeviceDto,
  type PushPublicKey,
  type PushSubscriptionSaved,
  type PushTestQueued,
  pushSubscriptionBody,
} from '../../contract/pushApi.ts';
import type { SessionAuth } from '../auth/session.ts';
import { ApiError, badField } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore as Store } from '../store/types.ts';
import { endpointProblem } from './endpoint.ts';
import { doc, SIGNED_IN } from '../http/access.ts';

export interface PushRoutesOptions {
  store: Store;
  auth: SessionAuth;
  now: () => number;
  publicKey: string;
  /** PUSH_ENDPOINT_HOSTS, or null for the browsers' push services. */
  endpointHosts: readonly string[] | null;
}

/** True when `p256dh` is a point on P-256; a bad one would only fail later, at every send. */
function isCurvePoint(p256dh: string): boolean {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    ecdh.computeSecret(Buffer.from(p256dh, 'base64url')); // throws for a point off the curve
    return true;
  } catch {
    return false;
  }
}

const iso = (t: number) => new Date(t).toISOString();

export async function pushRoutes(app: FastifyInstance, opts: PushRoutesOptions) {
  const { store, auth, now } = opts;

  app.get('/api/push/public-key', doc(SIGNED_IN, { tag: 'Push', summary: 'The VAPID public key to subscribe with' }), async (request): Promise<PushPublicKey> => {
    auth.requireUser(request);
    return { publicKey: opts.publicKey };
  });

  const save = doc(SIGNED_IN, { tag: 'Push', summary: 'Save this device’s push subscription', body: pushSubscriptionBody });
  app.put('/api/push/subscriptions', save, async (request): Promise<PushSubscriptionSaved> => {
    const user = auth.requireUser(request);
    const body = parseOr400(pushSubscriptionBody, request.body);
    const problem = endpointProblem(body.endpoint, opts.endpointHosts);
    if (problem) throw badField('endpoint', problem);
    if (!isCurvePoint(body.keys.p256dh)) throw badField('keys.p256dh', 'must be a P-256 public key');
    // One transaction: the new endpoint saved and the browser's old one forgotten together.
    const id = await store.transaction((tx) =>
      tx.push.saveSubscription({
        userId: user.id,
        endpoint: body.endpoint,
        p256dh: body.keys.p256dh,
        auth: body.keys.auth,
        deviceName: body.deviceName,
        locale: body.locale ?? null,
        oldEndpoint: body.oldEndpoint ?? null,
        now: now(),
      }),
    );
    if (id === null) {
      throw new ApiError(409, 'endpoint_taken', 'this browser receives notifications for another account; sign that account out here, or remove the device in its settings', 'endpoint');
    }
    return { id };
  });

  app.get('/api/push/subscriptions', doc(SIGNED_IN, { tag: 'Push', summary: 'Your devices' }), async (request): Promise<PushDeviceDto[]> => {
    const user = auth.requireUser(request);
    return (await store.push.devices(user.id)).map((d) => ({
      id: d.id,
      deviceName: d.device_name,
      createdAt: iso(d.created_at),
      lastSeenAt: iso(d.last_seen_at),
    }));
  });

  app.delete<{ Params: { id: string } }>('/api/push/subscriptions/:id', doc(SIGNED_IN, { tag: 'Push', summary: 'Remove a device', status: 204 }), async (request, reply) => {
    const user = auth.requireUser(request);
    // Someone else's device answers like a missing one: ids are not for probing.
    if (!(await store.push.removeDevice(request.params.id, user.id))) {
      throw new ApiError(404, 'not_found', 'no such device');
    }
    reply.code(204).send();
  });

  app.post('/api/push/test', doc(SIGNED_IN, { tag: 'Push', summary: 'Send a test push to your devices', status: 202 }), async (request, reply): Promise<PushTestQueued> => {
    const user = auth.requireUser(request);
    const devices = await store.transaction(async (tx) => {
      const n = await tx.push.deviceCount(user.id);
      if (n > 0) await tx.push.enqueueTest(user.id, now());
      return n;
    });
    if (devices === 0) {
      throw new ApiError(409, 'no_devices', 'this account has no device subscribed to notifications; turn them on first');
    }
    store.wakePush();
    reply.code(202);
    return { devices };
  });
}

/** The push API of the PWA's session: request bodies (validated on the server) and answers. */
import { z } from 'zod';
import { LOCALES } from './locales.ts';

export const PUSH_LIMITS = { endpoint: 2048, deviceName: 64 } as const;

/**
 * A key as the browser's PushSubscription.toJSON() gives it: base64url. Standard base64 and padding
 * are accepted too and normalised, since the server's encryption reads base64url only.
 */
const base64Key = (bytes: number, what: string) =>
  z
    .string({ error: 'is required' })
    .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, { error: 'must be base64url' })
    .transform((s) => s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))
    // Unpadded base64 of n bytes has ceil(4n/3) characters.
    .refine((s) => s.length === Math.ceil((bytes * 4) / 3), { error: `must be ${what}` });

const endpoint = z
  .string({ error: 'is required' })
  .min(1, { error: 'is required' })
  .max(PUSH_LIMITS.endpoint, { error: `must be at most ${PUSH_LIMITS.endpoint} characters` });

/** PUT /api/push/subscriptions: the browser's subscription, as PushSubscription.toJSON() shapes it. */
export const pushSubscriptionBody = z.object({
  endpoint,
  keys: z.object(
    {
      // 65 bytes: an uncompressed P-256 point (0x04, x, y), which is 'B' as the first base64 digit.
      p256dh: base64Key(65, 'a 65-byte P-256 public key').refine((s) => s.startsWith('B'), {
        error: 'must be an uncompressed P-256 public key',
      }),
      auth: base64Key(16, 'a 16-byte auth secret'),
    },
    { error: 'is required' },
  ),
  deviceName: z
    .string({ error: 'is required' })
    .trim()
    .min(1, { error: 'is required' })
    .max(PUSH_LIMITS.deviceName, { error: `must be at most ${PUSH_LIMITS.deviceName} characters` }),
  /** From `pushsubscriptionchange`: the endpoint this subscription replaces, deleted on save. */
  oldEndpoint: endpoint.nullish(),
  /** The language the app shows on this device: its pushes' fixed words (absent: keep the saved one). */
  locale: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` }).nullish(),
});

/** What the PWA sends. */
export type PushSubscriptionBody = z.input<typeof pushSubscriptionBody>;

/** GET /api/push/public-key: the VAPID key for PushManager.subscribe's applicationServerKey. */
export interface PushPublicKey {
  publicKey: string;
}

/** PUT /api/push/subscriptions answers the saved subscription's id. */
export interface PushSubscriptionSaved {
  id: string;
}

/** One element of GET /api/push/subscriptions: a device of the signed-in person. */
export interface PushDeviceDto {
  id: string;
  deviceName: string;
  createdAt: string;
  lastSeenAt: string;
}

/** POST /api/push/test answers 202 with the number of devices the test push is queued for. */
export interface PushTestQueued {
  devices: number;
}

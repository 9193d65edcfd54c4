/**
 * Sends one push message: web-push encrypts it (aes128gcm) and signs the VAPID JWT, and we make the
 * request ourselves, since web-push's own sender speaks https only (the test push service is http).
 * Never throws: every outcome comes back as a SendOutcome for the worker to act on.
 */
import webPush, { type Urgency } from 'web-push';
import type { VapidKeys } from './vapid.ts';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface SendOptions {
  vapid: VapidKeys;
  /** Seconds the push service may keep the message while the device is offline. */
  ttlSeconds: number;
  urgency: Urgency;
  timeoutMs: number;
  /**
   * Web Push `Topic` (at most 32 URL-safe base64 characters): a push service holding an undelivered
   * message with the same topic replaces it, so a message sent twice reaches a device once.
   */
  topic?: string;
}

export type SendOutcome =
  | { kind: 'status'; status: number; retryAfterMs: number | null; reason: string }
  /** No HTTP answer: timeout, refused, reset, DNS… */
  | { kind: 'network'; reason: string }
  /** We could not even build the request (a key the encryption refuses). */
  | { kind: 'invalid'; reason: string };

/** Retry-After: seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function networkReason(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timeout';
  const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
  return cause?.code ? cause.code.toLowerCase() : 'connection_error';
}

/** A VAPID JWT is valid this long (the spec allows up to 24 h)… */
const VAPID_JWT_SECONDS = 12 * 3600;
/** …and is signed again after this long, so one in use always has hours left. */
const VAPID_REUSE_MS = 3600_000;
const VAPID_CACHE_SIZE = 64;
const vapidCache = new Map<string, { authorization: string; signedAt: number }>();

/**
 * The VAPID Authorization header for a push service (its origin is the JWT's audience), signed once
 * an hour per push service instead of for every message: an ES256 signature was a tenth of the
 * worker's CPU when sending to a thousand devices. The push services accept a JWT until it expires.
 */
export function vapidAuthorization(endpoint: string, vapid: VapidKeys): string {
  const audience = new URL(endpoint).origin;
  const key = `${audience}\n${vapid.publicKey}\n${vapid.subject}`;
  const at = Date.now();
  const cached = vapidCache.get(key);
  if (cached && at - cached.signedAt < VAPID_REUSE_MS) return cached.authorization;
  const expiration = Math.floor(at / 1000) + VAPID_JWT_SECONDS;
  const { Authorization } = webPush.getVapidHeaders(audience, vapid.subject, vapid.publicKey, vapid.privateKey, 'aes128gcm', expiration);
  vapidCache.delete(key);
  if (vapidCache.size >= VAPID_CACHE_SIZE) vapidCache.delete(vapidCache.keys().next().value!);
  vapidCache.set(key, { authorization: Authorization, signedAt: at });
  return Authorization;
}

export async function sendPush(target: PushTarget, payload: string, opts: SendOptions, now: number): Promise<SendOutcome> {
  let details: ReturnType<typeof webPush.generateRequestDetails>;
  try {
    details = webPush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
      headers: { Authorization: vapidAuthorization(target.endpoint, opts.vapid) },
      TTL: opts.ttlSeconds,
      urgency: opts.urgency,
      ...(opts.topic ? { topic: opts.topic } : {}),
    });
  } catch (err) {
    return { kind: 'invalid', reason: err instanceof Error ? err.message : String(err) };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(details.headers)) {
    // fetch computes Content-Length from the body itself.
    if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
  }
  try {
    const res = await fetch(details.endpoint, {
      method: 'POST',
      headers,
      body: details.body === null ? null : new Uint8Array(details.body),
      // A push service never redirects; following one would send the message somewhere unchecked.
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    // Push services explain refusals in a short body ({"reason":"BadJwtToken"}); keep a little for the log.
    const text = await res.text().catch(() => '');
    return {
      kind: 'status',
      status: res.status,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now),
      reason: text.slice(0, 200),
    };
  } catch (err) {
    return { kind: 'network', reason: networkReason(err) };
  }
}

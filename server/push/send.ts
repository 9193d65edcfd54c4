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

export async function sendPush(target: PushTarget, payload: string, opts: SendOptions, now: number): Promise<SendOutcome> {
  let details: ReturnType<typeof webPush.generateRequestDetails>;
  try {
    details = webPush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
      vapidDetails: opts.vapid,
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

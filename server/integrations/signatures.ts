/**
 * The signatures GitHub and Stripe put on their deliveries (§13), checked on the raw body in constant
 * time. GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. Stripe:
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">[,v1=…]`, refused outside a
 * five-minute tolerance (Stripe's own default) so a captured delivery cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IntegrationSource } from '../../contract/integrations.ts';

/** Stripe's default tolerance: a delivery signed more than this far from now is refused. */
export const STRIPE_TOLERANCE_S = 300;

/** Why a delivery's signature was refused (null: it is good). */
export type SignatureProblem = string | null;

const hmacHex = (secret: string, payload: string | Buffer) => createHmac('sha256', secret).update(payload).digest('hex');

/** Equal hex digests, compared in constant time (a malformed one is simply unequal). */
function sameHex(expected: string, given: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given.toLowerCase(), 'hex'));
}

export function githubSignatureProblem(secret: string, raw: Buffer, header: string | undefined): SignatureProblem {
  if (!header) return 'the delivery is not signed: set the same secret on the GitHub webhook (X-Hub-Signature-256 is missing)';
  const given = header.startsWith('sha256=') ? header.slice('sha256='.length) : '';
  return sameHex(hmacHex(secret, raw), given) ? null : 'X-Hub-Signature-256 does not match: the webhook’s secret differs from this integration’s';
}

export function stripeSignatureProblem(secret: string, raw: Buffer, header: string | undefined, nowMs: number): SignatureProblem {
  if (!header) return 'the delivery is not signed (Stripe-Signature is missing)';
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const [name, value] = [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (name === 'v1') signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return 'Stripe-Signature has no timestamp (t=) or no v1 signature';
  const expected = hmacHex(secret, Buffer.concat([Buffer.from(`${timestamp}.`), raw]));
  if (!signatures.some((s) => sameHex(expected, s))) return 'Stripe-Signature does not match: the endpoint’s signing secret differs from this integration’s';
  if (Math.abs(nowMs / 1000 - timestamp) > STRIPE_TOLERANCE_S) return `Stripe-Signature is more than ${STRIPE_TOLERANCE_S} s old (or from the future): a replayed delivery is refused`;
  return null;
}

/** The check for a source that signs (null for sources that do not). */
export function signatureProblem(source: IntegrationSource, secret: string | null, raw: Buffer, headers: Record<string, string | undefined>, nowMs: number): SignatureProblem {
  if (source !== 'github' && source !== 'stripe') return null;
  // Stripe's secret may come after its URL: until it does, nothing can be verified, so nothing is taken.
  if (secret === null) return 'this integration has no signing secret yet: paste the one the sender shows in Settings → Integrations';
  if (source === 'github') return githubSignatureProblem(secret, raw, headers['x-hub-signature-256']);
  return stripeSignatureProblem(secret, raw, headers['stripe-signature'], nowMs);
}

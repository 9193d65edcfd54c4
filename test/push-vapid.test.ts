import { createPublicKey, verify } from 'node:crypto';
import webPush from 'web-push';
import { describe, expect, it } from 'vitest';
import { vapidAuthorization } from '../server/push/send.ts';

/** The JWT and key of a `vapid t=…, k=…` header, the JWT's claims, and whether its ES256 signature holds. */
function read(header: string, publicKey: string) {
  const m = /^vapid t=([^,]+), k=(.+)$/.exec(header);
  if (!m) throw new Error(`not a VAPID header: ${header}`);
  const [h, p, s] = m[1]!.split('.');
  const point = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const valid = verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s!, 'base64url'));
  return { k: m[2], claims: JSON.parse(Buffer.from(p!, 'base64url').toString()) as { aud: string; exp: number; sub: string }, valid };
}

describe('VAPID authorization', () => {
  const keys = { ...webPush.generateVAPIDKeys(), subject: 'mailto:ops@example.com' };

  it('is signed for the push service’s origin, valid for hours, and reused for the next message there', () => {
    const first = vapidAuthorization('https://push.example.net/send/abc', keys);
    const jwt = read(first, keys.publicKey);
    expect(jwt.valid).toBe(true);
    expect(jwt.k).toBe(keys.publicKey);
    expect(jwt.claims.aud).toBe('https://push.example.net');
    expect(jwt.claims.sub).toBe(keys.subject);
    const hoursLeft = (jwt.claims.exp - Date.now() / 1000) / 3600;
    expect(hoursLeft).toBeGreaterThan(11);
    expect(hoursLeft).toBeLessThanOrEqual(12);
    // Another device at the same push service: the same header, not a new signature.
    expect(vapidAuthorization('https://push.example.net/send/other-device', keys)).toBe(first);
  });

  it('signs anew for another push service, and for other keys', () => {
    const a = vapidAuthorization('https://push.example.net/send/abc', keys);
    const other = vapidAuthorization('https://fcm.example.org:8443/x', keys);
    expect(other).not.toBe(a);
    expect(read(other, keys.publicKey).claims.aud).toBe('https://fcm.example.org:8443');
    const rotated = { ...webPush.generateVAPIDKeys(), subject: keys.subject };
    const b = vapidAuthorization('https://push.example.net/send/abc', rotated);
    expect(read(b, rotated.publicKey).valid).toBe(true);
    expect(b).not.toBe(a);
  });
});

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A high-entropy secret (256 bits), URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Secrets are stored only as their SHA-256; they are random, so no slow hash is needed. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Whether a secret someone sent equals the stored one, in constant time: compared as digests, so the lengths match and say nothing. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(sha256(given)), Buffer.from(sha256(expected)));
}

/**
 * Sign-in throttling counts failures only, against the address they came from: a stranger who knows
 * the owner's email cannot keep the owner out, and guessing is still slowed down.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMITS } from '../server/auth/signInLimiter.ts';
import { makeApp, OWN_ORIGIN, OWNER_EMAIL, OWNER_PASSWORD, type TestApp } from './helpers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
  await t.signIn(); // creates the owner
});
afterEach(async () => {
  await t.cleanup();
});

const signIn = (address: string, password: string, email = OWNER_EMAIL): Promise<LightMyRequestResponse> =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    remoteAddress: address,
    headers: { origin: OWN_ORIGIN },
    payload: { email, password },
  });

describe('sign-in limits', () => {
  it('a stranger hammering the owner\'s email does not lock the owner out of their own address', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 80; i++) statuses.add((await signIn('203.0.113.66', 'wrong password guess')).statusCode);
    expect(statuses).toEqual(new Set([401, 429])); // the stranger was slowed down
    expect((await signIn('198.51.100.7', OWNER_PASSWORD)).statusCode).toBe(200);
  });

  it('counts failures only: many successful sign-ins in a row all succeed', async () => {
    const n = SIGN_IN_LIMITS.perEmailAndAddress.burst + 5;
    for (let i = 0; i < n; i++) expect((await signIn('198.51.100.7', OWNER_PASSWORD)).statusCode).toBe(200);
  });

  it('slows guessing of one account from one address: after the burst even the right password waits, with Retry-After', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perEmailAndAddress.burst; i++) expect((await signIn('203.0.113.5', 'wrong password guess')).statusCode).toBe(401);
    const refused = await signIn('203.0.113.5', OWNER_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // The same account from another address is not affected.
    expect((await signIn('203.0.113.6', OWNER_PASSWORD)).statusCode).toBe(200);
  });

  it('slows one address that guesses across many emails', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress.burst; i++) {
      expect((await signIn('203.0.113.9', 'wrong password guess', `nobody${i}@example.com`)).statusCode).toBe(401);
    }
    expect((await signIn('203.0.113.9', 'wrong password guess', 'someone-new@example.com')).statusCode).toBe(429);
  });

  it('distributed guessing: once an account saw many failures, addresses that failed are refused, a clean one with the right password is not', async () => {
    const burst = SIGN_IN_LIMITS.perEmail.burst;
    for (let i = 0; i < burst; i++) expect((await signIn(`10.9.${Math.floor(i / 200)}.${i % 200}`, 'wrong password guess')).statusCode).toBe(401);
    // An address that took part is refused for this account, whatever it sends (no oracle).
    expect((await signIn('10.9.0.0', OWNER_PASSWORD)).statusCode).toBe(429);
    expect((await signIn('10.9.0.1', 'wrong password guess')).statusCode).toBe(429);
    // A fresh address gets its attempt: the right password goes through, a wrong one is counted.
    expect((await signIn('192.0.2.10', OWNER_PASSWORD)).statusCode).toBe(200);
    expect((await signIn('192.0.2.11', 'wrong password guess')).statusCode).toBe(401);
    expect((await signIn('192.0.2.11', OWNER_PASSWORD)).statusCode).toBe(429);
  });
});

/** The single sign-on refusal page speaks the browser's language (Accept-Language); programs get JSON. */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuse } from '../server/auth/oidc/page.ts';

const app = Fastify();
app.get('/expired', (request, reply) =>
  refuse(request, reply, {
    status: 400,
    code: 'sign_in_expired',
    title: 'This sign-in has expired',
    message: 'This sign-in was started more than 10 minutes ago, was used already, or was started in another browser, so you are not signed in. Start again from the sign-in page.',
    details: ['Your groups at <Company SSO>: ops.'],
  }),
);
beforeAll(() => app.ready());
afterAll(() => app.close());

const page = (language?: string) =>
  app.inject({ method: 'GET', url: '/expired', headers: { accept: 'text/html', ...(language ? { 'accept-language': language } : {}) } });

describe('the refusal page', () => {
  it('in English by default, with the detailed sentence and the details escaped', async () => {
    const res = await page();
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<html lang="en" dir="ltr">');
    expect(res.body).toContain('<h1>This sign-in has expired</h1>');
    expect(res.body).toContain('was started more than 10 minutes ago');
    expect(res.body).toContain('Your groups at &#60;Company SSO&#62;: ops.');
    expect(res.body).toContain('>Back to sign-in</a>');
  });

  it('in German and in Arabic (right to left) when the browser asks, by the code’s sentence', async () => {
    const de = await page('de-CH,de;q=0.9,en;q=0.5');
    expect(de.headers.vary).toMatch(/Accept-Language/i);
    expect(de.body).toContain('<html lang="de" dir="ltr">');
    expect(de.body).toContain('<h1>Nicht angemeldet</h1>');
    expect(de.body).toContain('>Zurück zur Anmeldung</a>');
    expect(de.body).not.toContain('10 minutes');
    const ar = await page('ar');
    expect(ar.body).toContain('<html lang="ar" dir="rtl">');
    expect(ar.body).toContain('لم يتم تسجيل الدخول');
  });

  it('gives a program the JSON error, in English', async () => {
    const res = await app.inject({ method: 'GET', url: '/expired', headers: { accept: 'application/json', 'accept-language': 'de' } });
    expect(res.json()).toEqual({ error: { code: 'sign_in_expired', message: expect.stringContaining('10 minutes'), field: null } });
  });
});

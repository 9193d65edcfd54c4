/** Settings → Account → Language (CONTRACT §14): the account remembers its language, in every session. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthStatus } from '../contract/api.ts';
import { makeApp, OWN_ORIGIN, OWNER_EMAIL, OWNER_PASSWORD, sessionCookie, type TestApp } from './helpers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.cleanup();
});

const patch = (cookie: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PATCH', url: '/api/account', headers: { origin: OWN_ORIGIN, cookie }, payload });
const me = async (cookie: string) => (await t.app.inject({ method: 'GET', url: '/api/auth/status', headers: { cookie } })).json<AuthStatus>().user;

describe('the account language', () => {
  it('is the browser’s (null) until chosen; a choice holds in another session; null gives it back to the browser', async () => {
    const cookie = await t.signIn();
    expect(await me(cookie)).toMatchObject({ locale: null });

    const chosen = await patch(cookie, { locale: 'pt-BR' });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json()).toMatchObject({ email: OWNER_EMAIL, locale: 'pt-BR' });

    // Another device: a new session reads it from the account.
    const other = sessionCookie(
      await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { origin: OWN_ORIGIN }, payload: { email: OWNER_EMAIL, password: OWNER_PASSWORD } }),
    );
    expect(await me(other)).toMatchObject({ locale: 'pt-BR' });

    // The name alone leaves the language; the language alone leaves the name.
    expect((await patch(other, { name: 'Ops Owner' })).json()).toMatchObject({ name: 'Ops Owner', locale: 'pt-BR' });
    expect((await patch(other, { locale: null })).json()).toMatchObject({ name: 'Ops Owner', locale: null });
    expect(await me(cookie)).toMatchObject({ name: 'Ops Owner', locale: null });
  });

  it('refuses a language the app does not speak, and an empty change, naming the field', async () => {
    const cookie = await t.signIn();
    for (const locale of ['xx', 'pt', 'EN', 42, '']) {
      const res = await patch(cookie, { locale });
      expect([res.statusCode, res.json().error.field], String(locale)).toEqual([400, 'locale']);
    }
    const empty = await patch(cookie, {});
    expect([empty.statusCode, empty.json().error.field]).toEqual([400, 'name']);
    expect(await me(cookie)).toMatchObject({ locale: null });
  });
});

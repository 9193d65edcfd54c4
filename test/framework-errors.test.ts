import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(async () => {
  await t.cleanup();
});

describe("errors raised before routing", () => {
  it('answer in the contract error shape: a broken percent-escape is a 400', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/events/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'bad_request', field: null } });
  });

  it('answer in the contract error shape: an over-long path parameter is a 414', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/events/${'a'.repeat(200)}` });
    expect(res.statusCode).toBe(414);
    expect(res.json()).toMatchObject({ error: { code: 'bad_request' } });
  });
});

/**
 * Activity answers "did it work?" (CONTRACT §15): each press with its outcome (Succeeded, Failed with
 * the reason, Refused), filtered by outcome; members read the presses, admins everything. Real
 * presses through the trigger route to real receivers, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../contract/api.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { type ActionsApp, actionsApp, startReceiver, stopReceivers } from './actions-helpers.ts';
import { OWN_ORIGIN, sessionFor } from './helpers.ts';

let t: ActionsApp;
let member: string;

beforeAll(async () => {
  t = await actionsApp();
  const m = await t.store.users.create('mia@example.com', 'x', 'member', Date.now());
  await t.store.members.add(DEFAULT_PROJECT_ID, m.id, 'member', Date.now());
  member = await sessionFor(t.store, m.id);
});
afterAll(async () => {
  await t?.cleanup();
  await stopReceivers();
});

const audit = (cookie: string, query = '') => t.app.inject({ method: 'GET', url: `/api/projects/default/audit${query}`, headers: { cookie } });

describe('Activity: presses and how they ended', () => {
  it('shows Succeeded, Failed with the reason, Refused; filters by outcome; members read presses only', async () => {
    const ok = await startReceiver();
    const broken = await startReceiver((res) => res.writeHead(500).end('boom'));
    const refund = await t.sendAction(ok.url, { key: 'refund', buttonText: 'Refund' }, { name: 'Payment failed' });
    const retry = await t.sendAction(broken.url, { key: 'retry', buttonText: 'Retry charge' }, { name: 'Charge declined' });
    expect((await t.press(refund, 'refund')).statusCode).toBe(200);
    expect((await t.press(retry, 'retry')).statusCode).toBe(200); // the receiver failed: recorded, not an HTTP error
    expect((await t.press(refund, 'refund', { cookie: member, origin: OWN_ORIGIN })).statusCode).toBe(409); // already done: refused
    await t.app.inject({ method: 'PATCH', url: '/api/projects/default', headers: { cookie: t.cookie, origin: OWN_ORIGIN }, payload: { name: 'Default' } });

    const all = (await audit(t.cookie)).json<AuditPage>().entries;
    expect(all.map((e) => [e.kind, e.outcome?.result ?? null, e.outcome?.reason ?? null, e.outcome?.status ?? null])).toEqual([
      ['project.renamed', null, null, null],
      ['action.refused', 'refused', 'this action already succeeded', null],
      ['action.pressed', 'failed', 'http_500', 500],
      ['action.pressed', 'succeeded', null, 200],
    ]);
    expect(all[1]).toMatchObject({ subject: refund, actor: { email: 'mia@example.com' } });

    const failed = (await audit(t.cookie, '?outcome=failed')).json<AuditPage>().entries;
    expect(failed.map((e) => e.subject)).toEqual([retry]);
    expect((await audit(t.cookie, '?outcome=refused')).json<AuditPage>().entries.map((e) => e.kind)).toEqual(['action.refused']);
    expect((await audit(t.cookie, '?outcome=maybe')).json().error.field).toBe('outcome');

    // A member: the presses, nothing else; asking for another kind is refused in words.
    const theirs = await audit(member);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json<AuditPage>().entries.map((e) => e.kind)).toEqual(['action.refused', 'action.pressed', 'action.pressed']);
    const keys = await audit(member, '?kind=key.created');
    expect(keys.statusCode).toBe(403);
    expect(keys.json().error.message).toMatch(/admin role/);
  });
});

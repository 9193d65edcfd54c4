/**
 * A running server with a feed that shows every action state (for looking at the UI, e.g. with
 * screenshots): `node --import tsx scripts/demo-server.ts`. Prints the URL and the owner's sign-in,
 * and runs until stopped (Ctrl-C), then removes its data.
 */
import { request as playwrightRequest } from '@playwright/test';
import { seedActionStates } from '../e2e/fixtures/actionStates.ts';
import { startReceiver } from '../e2e/fixtures/receiver.ts';
import { joinByInvite, OWNER, sendEvent, startSeededServer } from '../e2e/fixtures/server.ts';

const receiver = await startReceiver();
const request = await playwrightRequest.newContext();
const { server, key } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' });
await seedActionStates(server, key, receiver, request);
// Presses that wait: Ana's refund waits for an approval; the owner's cache wipe counts down its delay.
const headers = { origin: server.url };
await request.put(`${server.url}/api/projects/default/policy`, { data: { high: { delaySeconds: 300 }, critical: { approvals: 1, delaySeconds: 15 } }, headers });
const ana = await joinByInvite(server, request, 'member', { name: 'Ana', email: 'ana@example.com', password: 'ana has a long password' });
const refund = await sendEvent(server, key, {
  name: 'Refund requested by Northwind',
  avatar: '💶',
  category: 'payments',
  actions: [{ url: `${receiver.url}/refund`, buttonText: 'Refund €42', key: 'refund', risk: 'critical', confirmText: 'Refund 42.00 EUR to Northwind' }],
});
const asked = await ana.post(`${server.url}/api/events/${refund.id}/actions/refund/trigger`, { data: {}, headers });
const requestId = ((await asked.json()) as { request: { id: string } }).request.id;
const wipe = await sendEvent(server, key, { name: 'Cache poisoned on edge-3', avatar: '🧯', category: 'ops', actions: [{ url: `${receiver.url}/wipe`, buttonText: 'Wipe cache', key: 'wipe', type: 'danger' }] });
await request.post(`${server.url}/api/events/${wipe.id}/actions/wipe/trigger`, { data: {}, headers });
// Questions (§11): one waits for an answer (a reason asked with "Ship it"); one Ana answered, and
// the answer was POSTed back to the asker.
await sendEvent(server, key, {
  name: 'Deploy 1.4 to production?',
  avatar: '🚀',
  category: 'deploys',
  actions: [
    { reply: true, key: 'ship', buttonText: 'Ship it', type: 'important', input: { label: 'Why?', required: true, maxLength: 500 }, expireIn: 120 },
    { reply: true, key: 'hold', buttonText: 'Hold', expireIn: 120 },
  ],
});
const rotate = await sendEvent(server, key, {
  name: 'Rotate the signing key tonight?',
  avatar: '🔑',
  category: 'security',
  replyUrl: `${receiver.url}/answers`,
  actions: [
    { reply: true, key: 'yes', buttonText: 'Rotate tonight', input: { label: 'Note for the on-call', required: false } },
    { reply: true, key: 'no', buttonText: 'Not yet' },
  ],
});
await ana.post(`${server.url}/api/events/${rotate.id}/actions/yes/trigger`, { data: { input: 'Customers were told last week.\nI am on call until 02:00.' }, headers });
// Working an event together (§12): an urgent alert Ana acknowledged, assigned to her, with notes; a
// disk alert that came ten times (one dedupKey); one resolved.
const checkout = await sendEvent(server, key, { name: 'Checkout latency above 2 s', avatar: '🛒', category: 'payments', urgent: true, content: 'p95 2.4 s on /api/checkout for 10 minutes' });
await ana.post(`${server.url}/api/events/${checkout.id}/ack`, { data: {}, headers });
const members = (await (await request.get(`${server.url}/api/projects/default/members`)).json()) as { members: { userId: string; email: string }[] };
const anaId = members.members.find((m) => m.email === 'ana@example.com')!.userId;
await request.post(`${server.url}/api/events/${checkout.id}/assign`, { data: { userId: anaId }, headers });
await ana.post(`${server.url}/api/events/${checkout.id}/notes`, {
  data: { text: 'Looking at it. @owner the provider says degraded: https://status.example.com/incidents/42' },
  headers,
});
await request.post(`${server.url}/api/events/${checkout.id}/notes`, { data: { text: 'Thanks — I will tell support.' }, headers });
let disk = { id: '' };
for (let i = 0; i < 10; i++) {
  const res = await fetch(`${server.url}/api/v1/log`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Disk 97% full on db-1', avatar: '💽', category: 'ops', content: `${88 + i}% used on /var/lib/postgresql`, dedupKey: 'disk:db-1' }),
  });
  disk = (await res.json()) as { id: string };
}
const done = await sendEvent(server, key, { name: 'Certificate renewed for api.example.com', avatar: '🔒', category: 'ops' });
await request.post(`${server.url}/api/events/${done.id}/resolve`, { data: {}, headers });
console.log(`triage: /events/${checkout.id} dedup: /events/${disk.id}`);
await ana.dispose();
await request.dispose();
console.log(`${server.url} ${OWNER.email} ${OWNER.password}`);
console.log(`approval: ${server.url}/events/${refund.id}?approve=${requestId}`);
const stop = async () => {
  await server.stop();
  await receiver.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

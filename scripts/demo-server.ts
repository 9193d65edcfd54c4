/**
 * A running server with a feed that shows every action state (for looking at the UI, e.g. with
 * screenshots): `node --import tsx scripts/demo-server.ts`. Prints the URL and the owner's sign-in,
 * and runs until stopped (Ctrl-C), then removes its data.
 */
import { request as playwrightRequest } from '@playwright/test';
import { seedActionStates } from '../e2e/fixtures/actionStates.ts';
import { startReceiver } from '../e2e/fixtures/receiver.ts';
import { OWNER, startSeededServer } from '../e2e/fixtures/server.ts';

const receiver = await startReceiver();
const request = await playwrightRequest.newContext();
const { server, key } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' });
await seedActionStates(server, key, receiver, request);
await request.dispose();
console.log(`${server.url} ${OWNER.email} ${OWNER.password}`);
const stop = async () => {
  await server.stop();
  await receiver.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

/**
 * SIGTERM like a container platform sends it (CONTRACT §9), on a real process: a request in flight
 * finishes, a request that arrives after it on the same connection gets 503 + `Connection: close`, an
 * idle keep-alive connection is closed at once, and a client that never finishes cannot hold the
 * process past SHUTDOWN_TIMEOUT_MS.
 */
import { connect, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

let dir: string;
let server: ServerProcess | null = null;

afterEach(async () => {
  await server?.kill9();
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<{ port: number; key: string }> {
  dir = tempDir();
  const store = openStore(dir);
  const key = (await createApiKey(sqliteAppStore(store), DEFAULT_PROJECT_ID, 'shutdown-test', null, Date.now())).key;
  store.close();
  // Port 0: the server picks its own (a port probed free beforehand was once taken in between).
  server = await spawnServer(dir, 0, { DIST_DIR: '/nonexistent', LOG_LEVEL: 'info', ...env });
  return { port: server.port, key };
}

/** A raw connection that keeps everything it receives, and says when the server closed it. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (d) => {
    received += d.toString();
  });
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  socket.on('error', () => undefined);
  const ready = new Promise<void>((done) => socket.once('connect', () => done()));
  return { socket, ready, closed, received: () => received };
}

const waitFor = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

const exitCode = (s: ServerProcess) =>
  new Promise<number | null>((done) => (s.child.exitCode !== null ? done(s.child.exitCode) : s.child.once('exit', (code) => done(code))));

describe('SIGTERM', () => {
  it('finishes the request in flight, answers the next one on its connection 503 + Connection: close, closes idle keep-alives, exits 0', async () => {
    const { port, key } = await start();
    const idle = rawConnection(port);
    await idle.ready;
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: keep-alive\r\n\r\n');
    await waitFor(() => idle.received().includes('{"ok":true}'), 'the idle connection’s first answer');

    const body = JSON.stringify({ name: 'sent across the shutdown' });
    const busy = rawConnection(port);
    await busy.ready;
    busy.socket.write(
      `POST /api/v1/log HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300)); // the server has the request's head: it is in flight
    server!.child.kill('SIGTERM');
    await idle.closed; // the idle keep-alive connection does not hold the shutdown
    await waitFor(() => server!.output().includes('shutting down'), 'the shutdown to begin');

    busy.socket.write(`${body.slice(10)}GET /api/v1/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${key}\r\n\r\n`);
    await busy.closed;
    const answers = busy.received().split(/(?=HTTP\/1\.1 )/);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 201/);
    const id = /"id":"([^"]+)"/.exec(answers[0]!)?.[1];
    expect(id).toBeTruthy();
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
    expect(answers[1]).toMatch(/\r\nconnection: close\r\n/i);
    expect(answers[1]).toContain('"code":"shutting_down"');
    expect(await exitCode(server!)).toBe(0);

    const store = openStore(dir);
    try {
      expect(await sqliteAppStore(store).events.byId(id!), 'the event acknowledged during the shutdown').not.toBeNull();
    } finally {
      store.close();
    }
  });

  it('a client that never finishes its request cannot hold the process past SHUTDOWN_TIMEOUT_MS', async () => {
    const { port, key } = await start({ SHUTDOWN_TIMEOUT_MS: '1000' });
    const stuck = rawConnection(port);
    await stuck.ready;
    stuck.socket.write(`POST /api/v1/log HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`);
    await new Promise((r) => setTimeout(r, 300));
    server!.child.kill('SIGTERM');
    expect(await exitCode(server!)).toBe(1);
    expect(server!.output()).toContain('shutdown timed out');
    stuck.socket.destroy();
  });
});

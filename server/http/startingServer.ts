/**
 * What answers on the port while the server waits for its database at start: `/healthz` says the
 * process is alive, `/readyz` and everything else say 503 (the API's error shape, with Retry-After),
 * so a load balancer or an orchestrator sees "starting", not "connection refused", and a systemd
 * unit does not burn its start limit. Closed the moment the real app is ready to listen.
 */
import { createServer, type Server } from 'node:http';
import { STORE_RETRY_AFTER_S } from '../store/unavailable.ts';

export interface StartingServer {
  close(): Promise<void>;
}

export function startStartingServer(host: string, port: number): Promise<StartingServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', connection: 'close', ...headers });
      res.end(JSON.stringify(body));
    };
    if (path === '/healthz') return json(200, { ok: true });
    if (path === '/readyz') return json(503, { ok: false });
    json(
      503,
      { error: { code: 'store_unavailable', message: 'the server is starting and waits for its database: try again shortly', field: null } },
      { 'retry-after': String(STORE_RETRY_AFTER_S) },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** Read config, open the store, build the app, listen. Nothing else. */
import pinoPretty from 'pino-pretty';
import { buildApp } from './app.ts';
import { issueSetupToken } from './auth/setup.ts';
import { baseUrl, ConfigError, loadConfig, unknownVariableWarnings } from './config.ts';
import { type PushWorker, startPushWorker } from './push/worker.ts';
import { loadVapidKeys, vapidSubjectWarning } from './push/vapid.ts';
import { DataDirLocked } from './store/tools.ts';
import { SchemaTooNew } from './store/records.ts';
import { type OpenedStore, openConfiguredStore } from './store/open.ts';
import { startMaintenance } from './store/maintenance.ts';
import { createMetrics } from './metrics/metrics.ts';
import { type StartingServer, startStartingServer } from './http/startingServer.ts';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`switchboard: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  for (const warning of unknownVariableWarnings()) process.stderr.write(`switchboard: warning: ${warning}\n`);
  let opened: OpenedStore;
  let starting: Promise<StartingServer | undefined> | null = null;
  const listenFailed = async (err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && ['EADDRINUSE', 'EADDRNOTAVAIL', 'EACCES', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) {
      process.stderr.write(`switchboard: cannot listen on ${config.host}:${config.port} (${code}): check HOST and PORT\n`);
      process.exit(2);
    }
    throw err;
  };
  try {
    opened = await openConfiguredStore(config, {
      lock: {
        waitMs: config.dataDirLockWaitMs,
        onWait: () =>
          process.stderr.write(`switchboard: another server holds DATA_DIR ${config.dataDir}; waiting up to ${config.dataDirLockWaitMs / 1000} s for it to exit…\n`),
      },
      onPostgresError: (err) => process.stderr.write(`switchboard: PostgreSQL connection error: ${err.message}\n`),
      onPostgresWait: (err, attempt, delayMs) => {
        process.stderr.write(`switchboard: waiting for PostgreSQL (${err.message}); trying again in ${delayMs / 1000} s (attempt ${attempt})\n`);
        // Meanwhile the port answers: /healthz 200, /readyz and the rest 503 with Retry-After.
        if (attempt === 1) starting = startStartingServer(config.host, config.port).catch(listenFailed);
      },
    });
  } catch (err) {
    if (err instanceof DataDirLocked || err instanceof SchemaTooNew) {
      process.stderr.write(`switchboard: ${err.message}\n`);
      process.exit(2);
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (!config.databaseUrl && code && ['EACCES', 'EPERM', 'ENOTDIR', 'EEXIST', 'EROFS', 'ENOENT', 'SQLITE_CANTOPEN', 'SQLITE_READONLY'].includes(code)) {
      process.stderr.write(`switchboard: DATA_DIR ${config.dataDir} cannot be used (${code}): it must be a directory this user can write\n`);
      process.exit(2);
    }
    throw err;
  }
  const { store, notes } = opened;
  // Holding the data directory's lock, no other process can be running a press: a press still
  // `running` was a dead process's. With a shared store, only lapsed leases are settled (routes.ts).
  if (opened.soleProcess) await store.transaction((tx) => tx.actions.recoverInterrupted(Date.now(), true));
  const metrics = createMetrics();
  const app = await buildApp({
    config,
    store,
    metrics,
    logger: {
      level: config.logLevel,
      // Requests are not logged one by one; should one ever be (an error with its request), these stay out.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-token"]', 'res.headers["set-cookie"]', '*.password', '*.token', '*.secret'],
      ...(config.logFormat === 'pretty'
        ? { stream: pinoPretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) }
        : {}),
    },
  });
  if (notes.reindexed > 0) app.log.info({ events: notes.reindexed }, 'search index rebuilt after the upgrade (userId is searchable now)');
  if (notes.fixedPermissions.length > 0) {
    app.log.warn({ paths: notes.fixedPermissions }, 'data directory was readable by other local users: permissions tightened to 0700/0600');
  }
  const stopMaintenance = startMaintenance(
    store,
    Date.now,
    (err) => app.log.error({ err }, 'maintenance failed'),
    config.retention,
    (removed) => app.log.info({ removed, ...config.retention }, 'retention removed old events'),
  );
  let push: PushWorker | null = null;
  app.addHook('onClose', async () => {
    stopMaintenance();
    await push?.stop(); // lets the sends in flight record their outcome before the store closes
    await store.close();
    opened.release();
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing in-flight requests');
    // Whatever still runs then (a client that never finishes its request, a slow webhook) is cut:
    // a platform that sent SIGTERM kills soon after anyway.
    setTimeout(() => {
      app.log.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out: exiting with requests still open');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    // The port passes from the stand-in that answered while the database was away to the app.
    await (await (starting as Promise<StartingServer | undefined> | null))?.close();
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close().catch(() => undefined);
    await listenFailed(err);
  }
  // After listen: pushes left in the outbox by a previous run go out once the server is up.
  // Presses that waited (approvals, a delay) go out when they fall due, from whichever instance looks first.
  app.pressScheduler.start();
  app.replySender.start();
  app.triageSweeper.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = baseUrl({ ...config, port });
  // The app's own address: Declarative Web Push links are absolute.
  push = startPushWorker({ store, log: app.log.child({ module: 'push' }), vapid: await loadVapidKeys(store, config.vapidSubject), metrics, origin: new URL(url).origin });
  const subjectWarning = vapidSubjectWarning(config.vapidSubject);
  if (subjectWarning) app.log.warn(subjectWarning);
  const token = await issueSetupToken(store);
  // Printed in one write, never logged: the token is a secret. It travels in the URL's fragment,
  // so no server or proxy ever sees it in a request line.
  const setup = token
    ? `\nNo account exists yet. Open this one-time link to create the owner account:\n  ${url}/setup#token=${token}\n\n`
    : '';
  process.stdout.write(`Switchboard is running at ${url}\n${setup}`);
}

main().catch((err) => {
  process.stderr.write(`switchboard: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

/**
 * Headless administration: user:create, apikey:create, webhook:secret, store:copy. DATABASE_URL and
 * DATA_DIR are honoured as the server honours them; store:copy always reads DATA_DIR's SQLite store.
 */
import { parseArgs } from 'node:util';
import { setupBody } from '../contract/auth.ts';
import { webhookSecret } from './actions/secret.ts';
import { createApiKey } from './auth/apiKeys.ts';
import { hashPassword } from './auth/passwords.ts';
import { loadConfig } from './config.ts';
import pg from 'pg';
import { ConfigError } from './config.ts';
import { openStore } from './store/sqlite/index.ts';
import { openConfiguredStore } from './store/open.ts';
import { copySqliteToPostgres, TargetNotEmpty } from './store/postgres/copy.ts';

const USAGE = `usage:
  npm run --silent cli -- user:create --email E --password-stdin
  npm run --silent cli -- apikey:create --name N
  npm run --silent cli -- webhook:secret
  npm run --silent cli -- store:copy --to postgres://user:pass@host:port/db`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Copies this SQLite installation into an empty PostgreSQL database, with a progress line on stderr. */
async function storeCopy(store: ReturnType<typeof openStore>, to: string | undefined): Promise<void> {
  if (!to || !/^postgres(ql)?:\/\//.test(to)) fail('store:copy needs --to postgres://user:pass@host:port/db');
  const client = new pg.Client({ connectionString: to });
  await client.connect();
  let last = 0;
  try {
    const copied = await copySqliteToPostgres(store.db, client, ({ table, copied, total }) => {
      if (Date.now() - last < 250 && copied < total) return;
      last = Date.now();
      process.stderr.write(`\rcopying ${table}: ${copied}/${total}   `);
    });
    const rows = Object.values(copied).reduce((a, b) => a + b, 0);
    process.stderr.write(`\rcopied ${rows} rows in ${Object.keys(copied).length} tables\n`);
  } catch (err) {
    if (err instanceof TargetNotEmpty) fail(err.message);
    throw err;
  } finally {
    await client.end();
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' }, to: { type: 'string' } },
    strict: true,
  });
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  if (command === 'store:copy') {
    const sqlite = openStore(config.dataDir);
    try {
      await storeCopy(sqlite, values.to);
    } finally {
      sqlite.close();
    }
    return;
  }
  if (!['user:create', 'apikey:create', 'webhook:secret'].includes(command ?? '')) fail(USAGE);
  const opened = await openConfiguredStore(config);
  const { store } = opened;
  try {
    switch (command) {
      case 'user:create': {
        if (!values['password-stdin']) fail('user:create reads the password from stdin: pass --password-stdin');
        const input = setupBody.safeParse({ token: '-', email: values.email, password: await readStdin() });
        if (!input.success) fail(`${String(input.error.issues[0]!.path[0])} ${input.error.issues[0]!.message}`);
        if (await store.users.byEmail(input.data.email)) fail(`a user with email ${input.data.email} already exists`);
        const role = (await store.users.count()) === 0 ? 'owner' : 'member';
        const user = await store.users.create(input.data.email, await hashPassword(input.data.password), role, Date.now());
        process.stdout.write(`created ${role} ${user.email}\n`);
        break;
      }
      case 'apikey:create': {
        const name = values.name?.trim();
        if (!name || name.length > 64) fail('apikey:create needs --name of 1 to 64 characters');
        process.stdout.write(`${(await createApiKey(store, name, null, Date.now())).key}\n`);
        break;
      }
      case 'webhook:secret':
        process.stdout.write(`${await webhookSecret(store)}\n`);
        break;
    }
  } finally {
    await store.close();
    opened.release();
  }
}

main().catch((err) => fail(`cli: ${err instanceof Error ? err.message : String(err)}`));

/** Headless administration (CONTRACT.md §4): user:create, apikey:create. DATA_DIR is honoured. */
import { parseArgs } from 'node:util';
import { setupBody } from '../contract/auth.ts';
import { webhookSecret } from './actions/secret.ts';
import { createApiKey } from './auth/apiKeys.ts';
import { hashPassword } from './auth/passwords.ts';
import { loadConfig } from './config.ts';
import { openStore } from './store/index.ts';

const USAGE = `usage:
  npm run --silent cli -- user:create --email E --password-stdin
  npm run --silent cli -- apikey:create --name N
  npm run --silent cli -- webhook:secret`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    strict: true,
  });
  const store = openStore(loadConfig().dataDir);
  try {
    switch (command) {
      case 'user:create': {
        if (!values['password-stdin']) fail('user:create reads the password from stdin: pass --password-stdin');
        const input = setupBody.safeParse({ token: '-', email: values.email, password: await readStdin() });
        if (!input.success) fail(`${String(input.error.issues[0]!.path[0])} ${input.error.issues[0]!.message}`);
        if (store.users.byEmail(input.data.email)) fail(`a user with email ${input.data.email} already exists`);
        const role = store.users.count() === 0 ? 'owner' : 'member';
        const user = store.users.create(input.data.email, await hashPassword(input.data.password), role, Date.now());
        process.stdout.write(`created ${role} ${user.email}\n`);
        break;
      }
      case 'apikey:create': {
        const name = values.name?.trim();
        if (!name || name.length > 64) fail('apikey:create needs --name of 1 to 64 characters');
        process.stdout.write(`${createApiKey(store, name, null, Date.now()).key}\n`);
        break;
      }
      case 'webhook:secret':
        process.stdout.write(`${webhookSecret(store)}\n`);
        break;
      default:
        fail(USAGE);
    }
  } finally {
    store.close();
  }
}

main().catch((err) => fail(`cli: ${err instanceof Error ? err.message : String(err)}`));

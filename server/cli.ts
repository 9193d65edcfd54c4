/**
 * Headless administration: user:create, project:create, apikey:create, invite:create, webhook:secret,
 * store:copy, backup (CONTRACT §4, §6, §7, §9). DATABASE_URL and
 * DATA_DIR are honoured as the server honours them; store:copy always reads DATA_DIR's SQLite store.
 */
import { parseArgs } from 'node:util';
import { personName, setupBody } from '../contract/auth.ts';
import { webhookSecret } from './actions/secret.ts';
import { createApiKey } from './auth/apiKeys.ts';
import { hashPassword } from './auth/passwords.ts';
import { baseUrl, loadConfig } from './config.ts';
import { DEFAULT_PROJECT, KEY_SCOPES, type KeyScope } from '../contract/api.ts';
import { createProjectBody, role as roleSchema, slugFrom } from '../contract/projects.ts';
import { audit } from './audit/log.ts';
import { createInvite, inviteUrl } from './projects/invites.ts';
import { ConfigError } from './config.ts';
import { openConfiguredStore } from './store/open.ts';
import { BackupRefused, backupSqlite, copyDataDirToPostgres, TargetNotEmpty } from './store/tools.ts';

const USAGE = `usage:
  npm run --silent cli -- user:create --email E --password-stdin [--project S --role viewer|member|admin | --owner]
  npm run --silent cli -- project:create --name N [--slug S]
  npm run --silent cli -- apikey:create --name N [--project S] [--scope ingest|read]
  npm run --silent cli -- invite:create --project S --role viewer|member|admin
  npm run --silent cli -- webhook:secret [--project S]
  npm run --silent cli -- store:copy --to postgres://user:pass@host:port/db
  npm run --silent cli -- backup --to DIR`;

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
async function storeCopy(dataDir: string, to: string | undefined): Promise<void> {
  if (!to || !/^postgres(ql)?:\/\//.test(to)) fail('store:copy needs --to postgres://user:pass@host:port/db');
  let last = 0;
  try {
    const copied = await copyDataDirToPostgres(dataDir, to, ({ table, copied, total }) => {
      if (Date.now() - last < 250 && copied < total) return;
      last = Date.now();
      process.stderr.write(`\rcopying ${table}: ${copied}/${total}   `);
    });
    const rows = Object.values(copied).reduce((a, b) => a + b, 0);
    process.stderr.write(`\rcopied ${rows} rows in ${Object.keys(copied).length} tables\n`);
  } catch (err) {
    if (err instanceof TargetNotEmpty) fail(err.message);
    throw err;
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      to: { type: 'string' },
      project: { type: 'string' },
      slug: { type: 'string' },
      role: { type: 'string' },
      scope: { type: 'string' },
      owner: { type: 'boolean' },
    },
    strict: true,
  });
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  if (command === 'backup') {
    if (!values.to) fail('backup needs --to DIR (a new or empty folder)');
    if (config.databaseUrl) fail('backup copies a SQLite installation; for PostgreSQL use pg_dump (see the README)');
    try {
      const done = await backupSqlite(config.dataDir, values.to, (copied, total) => process.stderr.write(`\rbacking up: ${copied}/${total} pages   `));
      process.stderr.write(`\rbacked up ${done.events} events (${(done.bytes / 1e6).toFixed(1)} MB) to ${done.file}; integrity ok\n`);
    } catch (err) {
      if (err instanceof BackupRefused) fail(err.message);
      throw err;
    }
    return;
  }
  if (command === 'store:copy') {
    await storeCopy(config.dataDir, values.to);
    return;
  }
  if (!['user:create', 'project:create', 'apikey:create', 'invite:create', 'webhook:secret'].includes(command ?? '')) fail(USAGE);
  const opened = await openConfiguredStore(config);
  const { store } = opened;
  /** The project --project names (default: `default`), or a clear exit. */
  const project = async (slug = values.project ?? DEFAULT_PROJECT) => (await store.projects.bySlug(slug)) ?? fail(`no project with slug ${slug}`);
  const role = () => {
    const parsed = roleSchema.safeParse(values.role);
    return parsed.success ? parsed.data : fail('--role must be viewer, member or admin');
  };
  try {
    switch (command) {
      case 'user:create': {
        if (!values['password-stdin']) fail('user:create reads the password from stdin: pass --password-stdin');
        if (values.owner && (values.project || values.role)) fail('user:create takes --owner, or --project and --role, not both');
        const input = setupBody.safeParse({ token: '-', email: values.email, password: await readStdin() });
        if (!input.success) fail(`${String(input.error.issues[0]!.path[0])} ${input.error.issues[0]!.message}`);
        if (await store.users.byEmail(input.data.email)) fail(`a user with email ${input.data.email} already exists`);
        const name = personName.safeParse(values.name ?? '');
        if (!name.success) fail(`--name ${name.error.issues[0]!.message}`);
        // The first account is an owner; after it, a member of `default` unless told otherwise.
        const owner = values.owner || (await store.users.count()) === 0;
        const into = owner ? null : await project();
        const projectRole = owner ? null : values.role === undefined ? 'member' : role();
        const passwordHash = await hashPassword(input.data.password);
        const user = await store.transaction(async (tx) => {
          const made = await tx.users.create(input.data.email, passwordHash, owner ? 'owner' : 'member', Date.now(), name.data);
          if (into && projectRole) {
            await tx.members.add(into.id, made.id, projectRole, Date.now());
            await audit(tx, into.id, null, 'member.added', made.email, Date.now(), { role: projectRole, by: 'cli' });
          }
          return made;
        });
        process.stdout.write(owner ? `created owner ${user.email}\n` : `created ${user.email}: ${projectRole} of ${into!.slug}\n`);
        break;
      }
      case 'project:create': {
        const input = createProjectBody.safeParse({ name: values.name, slug: values.slug });
        if (!input.success) fail(`--${String(input.error.issues[0]!.path[0])} ${input.error.issues[0]!.message}`);
        const slug = input.data.slug ?? slugFrom(input.data.name);
        const made = await store.projects.create(slug, input.data.name, Date.now());
        if (!made) fail(`a project with slug ${slug} exists: pass another --slug`);
        process.stdout.write(`${made.slug}\n`);
        break;
      }
      case 'apikey:create': {
        const name = values.name?.trim();
        if (!name || name.length > 64) fail('apikey:create needs --name of 1 to 64 characters');
        const scope = (values.scope ?? 'ingest') as KeyScope;
        if (!KEY_SCOPES.includes(scope)) fail('--scope must be ingest or read');
        const into = await project();
        const key = await store.transaction(async (tx) => {
          const created = await createApiKey(tx, into.id, name, null, Date.now(), scope);
          await audit(tx, into.id, null, 'key.created', created.name, Date.now(), { prefix: created.prefix, scope, by: 'cli' });
          return created;
        });
        process.stdout.write(`${key.key}\n`);
        break;
      }
      case 'invite:create': {
        if (!values.project) fail('invite:create needs --project S');
        const into = await project();
        const wanted = role();
        const { token } = await store.transaction((tx) => createInvite(tx, into, wanted, null, Date.now()));
        process.stdout.write(`${inviteUrl(baseUrl(config), token)}\n`);
        break;
      }
      case 'webhook:secret':
        process.stdout.write(`${await webhookSecret(store, (await project()).id)}\n`);
        break;
    }
  } finally {
    await store.close();
    opened.release();
  }
}

main().catch((err) => fail(`cli: ${err instanceof Error ? err.message : String(err)}`));

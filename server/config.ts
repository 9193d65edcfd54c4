/** Environment → a typed, validated configuration (CONTRACT.md §4). Fails fast with a clear message. */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { RemoteImages } from '../contract/api.ts';
import { type OidcConfig, oidcConfig, OIDC_VARIABLES } from './auth/oidc/config.ts';
import { ConfigError } from './configError.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** DATABASE_URL: a PostgreSQL database shared by every instance; null means the SQLite store in dataDir. */
  databaseUrl: string | null;
  /** How long a server waits for another one on the same DATA_DIR to exit before it refuses to start. */
  dataDirLockWaitMs: number;
  /** How people reach the server, e.g. https://ops.example.com; null when not set. */
  publicUrl: string | null;
  webhookTimeoutMs: number;
  /** How long past its webhook timeout a press of a stopped instance stays `running` before another settles it. */
  pressLeaseMarginMs: number;
  webhookAllowPrivate: boolean;
  /** Keep the first 1 KiB of answers from private destinations (shown to every user); off by default. */
  webhookKeepPrivateResponses: boolean;
  /** REMOTE_IMAGES: `load` shows event images at once; `tap` only when tapped (senders see who looked). */
  remoteImages: RemoteImages;
  /** Events per minute per API key; 0 turns the limit off. */
  ingestRateLimit: number;
  logLevel: string;
  /** LOG_FORMAT: `json` (one object a line, for machines) or `pretty` (for a person at a terminal). */
  logFormat: 'json' | 'pretty';
  /** Where the built PWA lives. */
  distDir: string;
  /**
   * TRUST_PROXY (fastifyTrustProxy makes it Fastify's `trustProxy`): false (the client is whoever
   * connects), a number of proxies in front (the address that many hops back in X-Forwarded-For), or
   * the proxies' addresses and ranges.
   * Never `true`: that trusts every hop, so the leftmost X-Forwarded-For entry, which the client writes, wins.
   */
  trustProxy: TrustProxy;
  /** VAPID `sub`: who push services contact about our pushes (`mailto:` or `https:`). */
  vapidSubject: string;
  /** Exact hosts (host[:port]) allowed as push endpoints instead of the browsers' push services; null: the built-in list. */
  pushEndpointHosts: string[] | null;
  /** After SIGTERM: how long in-flight work may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** METRICS_TOKEN: the Bearer token `/metrics` wants; null: no `/metrics` at all (404). */
  metricsToken: string | null;
  /** RETENTION_DAYS / TEST_RETENTION_DAYS: how long events are kept (0: forever). */
  retention: { liveDays: number; testDays: number };
  /** OIDC_*: single sign-on through an OpenID Connect provider; null when OIDC_ISSUER is unset. */
  oidc: OidcConfig | null;
}

export type TrustProxy = false | number | string[];

export { ConfigError };

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}")`);
}

function publicUrl(env: Env): string | null {
  const raw = env.PUBLIC_URL;
  if (raw === undefined || raw === '') return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an http(s) URL such as https://ops.example.com (got "${raw}")`);
  }
}

function databaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  let ok = false;
  try {
    const url = new URL(raw);
    ok = (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {}
  // The value is not echoed: it usually holds a password.
  if (!ok) throw new ConfigError('DATABASE_URL must be a PostgreSQL URL such as postgres://user:pass@host:5432/switchboard');
  return raw;
}

/** Default when VAPID_SUBJECT is unset: an https PUBLIC_URL (a real contact), else a placeholder. */
const FALLBACK_VAPID_SUBJECT = 'mailto:switchboard@localhost';

function vapidSubject(env: Env, publicUrlValue: string | null): string {
  const raw = env.VAPID_SUBJECT;
  if (raw === undefined || raw === '') {
    // Apple's push service refuses a `localhost` contact (403 BadJwtToken; web-push issue #947), so an
    // https public address is the better default when there is one.
    const url = publicUrlValue ? new URL(publicUrlValue) : null;
    return url && url.protocol === 'https:' && url.hostname !== 'localhost' ? url.origin : FALLBACK_VAPID_SUBJECT;
  }
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {}
  const ok = url !== null && ((url.protocol === 'mailto:' && /^[^\s@]+@[^\s@]+$/.test(url.pathname)) || (url.protocol === 'https:' && url.hostname !== ''));
  if (!ok) throw new ConfigError(`VAPID_SUBJECT must be a mailto: or https: URL such as mailto:ops@example.com (got "${raw}")`);
  return raw;
}

function pushEndpointHosts(env: Env): string[] | null {
  const raw = env.PUSH_ENDPOINT_HOSTS;
  if (raw === undefined || raw.trim() === '') return null;
  const hosts = raw.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  for (const host of hosts) {
    if (!/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/.test(host)) {
      throw new ConfigError(`PUSH_ENDPOINT_HOSTS must be comma-separated hosts such as push.example.com or 127.0.0.1:9000 (got "${host}")`);
    }
  }
  return hosts;
}

function remoteImages(env: Env): RemoteImages {
  const raw = env.REMOTE_IMAGES?.toLowerCase();
  if (raw === undefined || raw === '') return 'load';
  if (raw === 'load' || raw === 'tap') return raw;
  throw new ConfigError(`REMOTE_IMAGES must be load or tap (got "${env.REMOTE_IMAGES}")`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(env: Env): string {
  const raw = env.LOG_LEVEL?.toLowerCase();
  if (raw === undefined || raw === '') return 'info';
  if (LOG_LEVELS.includes(raw)) return raw;
  throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
}

/** An IPv4 or IPv6 address, or a host name; whether it can be bound is known only at listen time. */
function host(env: Env): string {
  const raw = env.HOST;
  if (raw === undefined || raw === '') return '0.0.0.0';
  if (/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(raw) || /^[0-9A-Fa-f:.]{2,45}$/.test(raw)) return raw;
  throw new ConfigError(`HOST must be an address or host name to listen on, such as 0.0.0.0, 127.0.0.1 or :: (got "${raw}")`);
}

function metricsToken(env: Env): string | null {
  const raw = env.METRICS_TOKEN;
  if (raw === undefined || raw === '') return null;
  // The value is not echoed: it is a secret.
  if (raw.length < 16 || /\s/.test(raw)) throw new ConfigError('METRICS_TOKEN must be at least 16 characters without spaces');
  return raw;
}

/** The address ranges proxy-addr (Fastify's trustProxy) knows by name. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: unset or false; a hop count (1 when one proxy such as nginx is in front); or a
 * comma-separated list of the proxies' addresses and CIDR ranges (and proxy-addr's names for ranges).
 * `true` is refused: with it every hop is trusted, so a client picks its own address by sending
 * X-Forwarded-For, and the sign-in limits count against whatever it wrote.
 */
function trustProxy(env: Env): TrustProxy {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '' || ['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  const refuse = (got: string, why = '') =>
    new ConfigError(
      `TRUST_PROXY must be the number of proxies in front (1 to 100), such as 1, or the proxies' addresses, such as 10.0.0.5 or 10.0.0.0/24 (got "${got}"${why})`,
    );
  if (['true', 'yes'].includes(raw.toLowerCase())) throw refuse(raw, ': trusting every hop lets any client choose its own address');
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1 || hops > 100) throw refuse(raw);
    return hops;
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  return entries.map((entry) => {
    if (PROXY_RANGE_NAMES.includes(entry.toLowerCase())) return entry.toLowerCase();
    const [address = '', prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    if (version === 0 || address.includes('%') || rest.length > 0) throw refuse(entry);
    if (prefix === undefined) return address;
    // A /0 range is every address: the same as `true`.
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
    if (bits < 1 || bits > (version === 4 ? 32 : 128)) throw refuse(entry, bits === 0 ? ': a /0 range trusts every address' : '');
    return `${address}/${bits}`;
  });
}

/**
 * The config's TRUST_PROXY as Fastify's `trustProxy` option. A hop count becomes a function: Fastify 5
 * takes a bare number as "trust no hop" (it cannot check the peer), which would make every client the
 * proxy's address, one sign-in bucket for everybody. The count is only safe when the server can be
 * reached through the proxy alone (docs/deploy.md); otherwise list the proxy's address.
 */
export function fastifyTrustProxy(value: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/** Unset: pretty when a person watches the terminal, JSON when the output goes to a file or a collector. */
function logFormat(env: Env, tty: boolean): Config['logFormat'] {
  const raw = env.LOG_FORMAT?.toLowerCase();
  if (raw === undefined || raw === '') return tty ? 'pretty' : 'json';
  if (raw === 'json' || raw === 'pretty') return raw;
  throw new ConfigError(`LOG_FORMAT must be json or pretty (got "${env.LOG_FORMAT}")`);
}

export function loadConfig(env: Env = process.env, tty = process.stdout.isTTY === true): Config {
  const publicUrlValue = publicUrl(env);
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: host(env),
    dataDir: resolve(env.DATA_DIR || './data'),
    databaseUrl: databaseUrl(env),
    dataDirLockWaitMs: integer(env, 'DATA_DIR_LOCK_WAIT_MS', 15_000, 0, 600_000),
    publicUrl: publicUrlValue,
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    pressLeaseMarginMs: integer(env, 'PRESS_LEASE_MARGIN_MS', 30_000, 1_000, 600_000),
    webhookAllowPrivate: boolean(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    webhookKeepPrivateResponses: boolean(env, 'WEBHOOK_KEEP_PRIVATE_RESPONSES', false),
    remoteImages: remoteImages(env),
    ingestRateLimit: integer(env, 'INGEST_RATE_LIMIT', 6000, 0, 10_000_000),
    logLevel: logLevel(env),
    logFormat: logFormat(env, tty),
    distDir: resolve(env.DIST_DIR || './dist'),
    trustProxy: trustProxy(env),
    vapidSubject: vapidSubject(env, publicUrlValue),
    pushEndpointHosts: pushEndpointHosts(env),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 8000, 100, 600_000),
    metricsToken: metricsToken(env),
    retention: {
      liveDays: integer(env, 'RETENTION_DAYS', 0, 0, 36_500),
      testDays: integer(env, 'TEST_RETENTION_DAYS', 7, 0, 36_500),
    },
    oidc: oidcConfig(env, publicUrlValue),
  };
}

/** Every variable the server reads. */
export const KNOWN_VARIABLES = [
  'PORT', 'HOST', 'DATA_DIR', 'DATABASE_URL', 'DATA_DIR_LOCK_WAIT_MS', 'PUBLIC_URL', 'WEBHOOK_TIMEOUT_MS',
  'WEBHOOK_ALLOW_PRIVATE', 'WEBHOOK_KEEP_PRIVATE_RESPONSES', 'REMOTE_IMAGES', 'INGEST_RATE_LIMIT', 'LOG_LEVEL',
  'LOG_FORMAT', 'DIST_DIR', 'TRUST_PROXY', 'VAPID_SUBJECT', 'PUSH_ENDPOINT_HOSTS', 'SHUTDOWN_TIMEOUT_MS', 'METRICS_TOKEN',
  'RETENTION_DAYS', 'TEST_RETENTION_DAYS', 'PRESS_LEASE_MARGIN_MS', ...OIDC_VARIABLES,
];

/** Prefixes no other common tool uses: a variable starting with one is meant for us. */
const OUR_PREFIXES = ['WEBHOOK_', 'PUSH_', 'VAPID_', 'INGEST_', 'REMOTE_IMAGES', 'SHUTDOWN_', 'METRICS_', 'RETENTION_', 'SWITCHBOARD_', 'OIDC_'];

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * Variables that look like ours but are not (`WEBHOOK_TIMEOUT`, `LOGLEVEL`): each a warning naming the
 * one probably meant. Unrelated variables (PATH, HOME…) are left alone.
 */
export function unknownVariableWarnings(env: Env = process.env): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(env)) {
    if (KNOWN_VARIABLES.includes(name)) continue;
    // A typo (one letter off in a short name, two in a long one) or a name missing its unit suffix.
    const meant = KNOWN_VARIABLES.find((known) => editDistance(name, known) <= (name.length >= 8 ? 2 : 1) || known.startsWith(`${name}_`));
    if (meant) warnings.push(`${name} is not a setting Switchboard knows: did you mean ${meant}?`);
    else if (OUR_PREFIXES.some((prefix) => name.startsWith(prefix))) warnings.push(`${name} is not a setting Switchboard knows`);
  }
  return warnings;
}

/** Who passkeys belong to (WebAuthn's relying party): a host name and the origin pages are served from. */
export interface RelyingParty {
  /** The RP ID: PUBLIC_URL's host name (no port). */
  id: string;
  /** The origin the browser reports (scheme, host and port). */
  origin: string;
}

/**
 * The relying party from PUBLIC_URL; without it, `http://localhost:PORT` when the server listens on
 * every address or on loopback (what baseUrl prints). Browsers refuse WebAuthn on an IP address and
 * on plain http other than localhost: then passkeys are unavailable, and the reason says what to set.
 */
export function relyingParty(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): RelyingParty | { unavailable: string } {
  let url: URL;
  if (config.publicUrl) {
    url = new URL(config.publicUrl);
  } else {
    const loopback = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(config.host);
    const host = loopback ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
    url = new URL(`http://${host}:${config.port}`);
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(hostname) !== 0) {
    return { unavailable: `passkeys need a host name, not an IP address (${hostname}): set PUBLIC_URL to the address people use, such as https://ops.example.com, or open it at localhost` };
  }
  const local = hostname === 'localhost' || hostname.endsWith('.localhost');
  if (url.protocol !== 'https:' && !local) {
    return { unavailable: `passkeys need https (or localhost): set PUBLIC_URL to the https address people use (now ${url.origin})` };
  }
  return { id: hostname, origin: url.origin };
}

/** The base URL to print and to put in snippets when no request is at hand. */
export function baseUrl(config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

/** Environment → a typed, validated configuration (CONTRACT.md §4). Fails fast with a clear message. */
import { resolve } from 'node:path';
import type { RemoteImages } from '../contract/api.ts';

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
  /** Behind a reverse proxy: take the client address and scheme from X-Forwarded-*. */
  trustProxy: boolean;
  /** VAPID `sub`: who push services contact about our pushes (`mailto:` or `https:`). */
  vapidSubject: string;
  /** Exact hosts (host[:port]) allowed as push endpoints instead of the browsers' push services; null: the built-in list. */
  pushEndpointHosts: string[] | null;
}

export class ConfigError extends Error {}

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
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR || './data'),
    databaseUrl: databaseUrl(env),
    dataDirLockWaitMs: integer(env, 'DATA_DIR_LOCK_WAIT_MS', 15_000, 0, 600_000),
    publicUrl: publicUrlValue,
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    webhookAllowPrivate: boolean(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    webhookKeepPrivateResponses: boolean(env, 'WEBHOOK_KEEP_PRIVATE_RESPONSES', false),
    remoteImages: remoteImages(env),
    ingestRateLimit: integer(env, 'INGEST_RATE_LIMIT', 6000, 0, 10_000_000),
    logLevel: env.LOG_LEVEL || 'info',
    logFormat: logFormat(env, tty),
    distDir: resolve(env.DIST_DIR || './dist'),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    vapidSubject: vapidSubject(env, publicUrlValue),
    pushEndpointHosts: pushEndpointHosts(env),
  };
}

/** The base URL to print and to put in snippets when no request is at hand. */
export function baseUrl(config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

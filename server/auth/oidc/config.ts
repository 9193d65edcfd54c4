/**
 * OpenID Connect single sign-on, from the environment (OIDC_*): checked at start like every other
 * setting (server/config.ts), so a wrong value stops the server with one line naming it (exit 2).
 * Nothing here talks to the provider: discovery happens at the first sign-in (./client.ts).
 */
import { PROJECT_ROLES, type ProjectRole } from '../../../contract/api.ts';
import { SLUG_PATTERN } from '../../../contract/projects.ts';
import { ConfigError } from '../../configError.ts';

/** Where the provider sends people back, under PUBLIC_URL. */
export const CALLBACK_PATH = '/api/auth/oidc/callback';
export const START_PATH = '/api/auth/oidc/start';

/** One entry of OIDC_ROLES: members of `group` get `role` in the project `project` (a slug). */
export interface OidcRoleRule {
  group: string;
  project: string;
  role: ProjectRole;
}

export interface OidcConfig {
  /** OIDC_ISSUER, exactly as given: the provider's discovery document must name the same issuer. */
  issuer: string;
  clientId: string;
  /** Never logged, never echoed in a message. */
  clientSecret: string;
  /** OIDC_NAME: the button says `Sign in with <name>`. */
  name: string;
  /** OIDC_GROUPS_CLAIM: the claim (in the ID token, else from the userinfo endpoint) that lists the person's groups. */
  groupsClaim: string;
  roles: OidcRoleRule[];
  /** OIDC_ONLY: nobody but owners signs in with a password (or a passkey). */
  only: boolean;
  /** OIDC_SCOPES: what the authorization request asks for (some providers give groups only for a `groups` scope). */
  scopes: string;
  /** `<PUBLIC_URL>/api/auth/oidc/callback`: registered at the provider as the client's redirect URI. */
  redirectUri: string;
}

/** Every variable of single sign-on (server/config.ts knows them, and none may be set without OIDC_ISSUER). */
export const OIDC_VARIABLES = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_NAME', 'OIDC_GROUPS_CLAIM', 'OIDC_ROLES', 'OIDC_ONLY', 'OIDC_SCOPES'];

type Env = Record<string, string | undefined>;

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

function issuer(raw: string): string {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {}
  const ok =
    url !== null &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname))) &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === '';
  if (!ok) {
    throw new ConfigError(`OIDC_ISSUER must be the provider's https URL, such as https://id.example.com/realms/ops (http only on localhost or 127.0.0.1) (got "${raw}")`);
  }
  return raw;
}

/** OIDC_ROLES: `group=project:role`, comma-separated; a group may name several projects, a project several groups. */
export function parseOidcRoles(raw: string): OidcRoleRule[] {
  const rules: OidcRoleRule[] = [];
  const seen = new Set<string>();
  for (const entry of raw.split(',')) {
    const text = entry.trim();
    if (text === '') continue;
    const bad = (why: string) => new ConfigError(`OIDC_ROLES entry "${text}" ${why} (each entry is group=project:role, such as ops-admins=default:admin)`);
    // The last `=`: a group's name may hold one (an LDAP-style name), a project slug never does.
    const eq = text.lastIndexOf('=');
    const group = eq > 0 ? text.slice(0, eq).trim() : '';
    const parts = eq > 0 ? text.slice(eq + 1).trim().split(':') : [];
    if (group === '' || parts.length !== 2) throw bad('is not group=project:role');
    const [project = '', role = ''] = parts.map((p) => p.trim());
    if (!SLUG_PATTERN.test(project)) throw bad(`names "${project}", which is not a project's slug (lowercase letters, digits and dashes)`);
    if (role === 'owner') throw bad('gives the owner role, which single sign-on never gives nor takes (owners name owners in Settings → Members)');
    const known = PROJECT_ROLES.find((r) => r === role);
    if (!known) throw bad(`has the role "${role}": it must be viewer, member or admin`);
    const key = `${group}\u0000${project}`;
    if (seen.has(key)) throw bad(`maps the group "${group}" to the project "${project}" a second time`);
    seen.add(key);
    rules.push({ group, project, role: known });
  }
  if (rules.length === 0) throw new ConfigError('OIDC_ROLES must map at least one group to a project role, such as ops-admins=default:admin,ops=default:member');
  return rules;
}

function only(raw: string | undefined): boolean {
  const value = raw?.toLowerCase();
  if (value === undefined || value === '') return false;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`OIDC_ONLY must be true or false (got "${raw}")`);
}

function scopes(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return 'openid email profile';
  const list = raw.trim().split(/\s+/);
  // RFC 6749's scope-token: printable ASCII but space, `"` and `\`.
  const wrong = list.find((s) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s));
  if (wrong !== undefined || !list.includes('openid')) {
    throw new ConfigError(`OIDC_SCOPES must be space-separated scopes that include openid, such as "openid email profile groups" (got "${raw}")`);
  }
  return list.join(' ');
}

/** The single sign-on settings, or null when OIDC_ISSUER is unset (and then no other OIDC_* may be). */
export function oidcConfig(env: Env, publicUrl: string | null): OidcConfig | null {
  const set = (name: string) => env[name] !== undefined && env[name]!.trim() !== '';
  if (!set('OIDC_ISSUER')) {
    const stray = OIDC_VARIABLES.find(set);
    if (stray) throw new ConfigError(`${stray} is set but OIDC_ISSUER is not: single sign-on needs OIDC_ISSUER (or unset the OIDC_* variables)`);
    return null;
  }
  const issuerValue = issuer(env.OIDC_ISSUER!.trim());
  if (!set('OIDC_CLIENT_ID')) throw new ConfigError('OIDC_CLIENT_ID is required with OIDC_ISSUER: the client id the provider gave Switchboard');
  // The secret itself is never echoed.
  if (!set('OIDC_CLIENT_SECRET')) throw new ConfigError('OIDC_CLIENT_SECRET is required with OIDC_ISSUER: the client secret the provider gave Switchboard');
  if (!set('OIDC_ROLES')) throw new ConfigError('OIDC_ROLES is required with OIDC_ISSUER: which groups give which role in which project, such as ops-admins=default:admin,ops=default:member');
  if (!publicUrl) {
    throw new ConfigError(`OIDC_ISSUER needs PUBLIC_URL, the address people use (such as https://ops.example.com): the provider sends them back to <PUBLIC_URL>${CALLBACK_PATH}`);
  }
  const name = (env.OIDC_NAME ?? '').trim() || 'SSO';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (name.length > 40 || /[\u0000-\u001f\u007f]/.test(name)) throw new ConfigError(`OIDC_NAME must be at most 40 characters, such as "Company SSO" (got "${env.OIDC_NAME}")`);
  const groupsClaim = (env.OIDC_GROUPS_CLAIM ?? '').trim() || 'groups';
  if (groupsClaim.length > 200 || /\s/.test(groupsClaim)) throw new ConfigError(`OIDC_GROUPS_CLAIM must be a claim's name, such as groups or realm_access.roles (got "${env.OIDC_GROUPS_CLAIM}")`);
  return {
    issuer: issuerValue,
    clientId: env.OIDC_CLIENT_ID!.trim(),
    clientSecret: env.OIDC_CLIENT_SECRET!,
    name,
    groupsClaim,
    roles: parseOidcRoles(env.OIDC_ROLES!),
    only: only(env.OIDC_ONLY),
    scopes: scopes(env.OIDC_SCOPES),
    redirectUri: `${publicUrl}${CALLBACK_PATH}`,
  };
}

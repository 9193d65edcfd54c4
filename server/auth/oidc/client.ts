/**
 * The relying party's side of OpenID Connect, over openid-client: discovery (at the first sign-in,
 * again after a failure), the authorization request (code flow, PKCE S256, state and nonce), and the
 * callback — the authorization response checked (state, `iss` per RFC 9207), the code exchanged with
 * the client secret, the ID token checked (signature against the provider's JWKS, issuer, audience,
 * expiry, nonce). openid-client keeps the JWKS and fetches it again when a token names a key it does
 * not know (a rotated key), at most once a minute, and every five minutes in any case.
 *
 * The groups, email and name come from the ID token when it carries them, else from the userinfo
 * endpoint (whose `sub` must be the ID token's). Tokens never leave this file, nor reach a log.
 */
import * as client from 'openid-client';
import type { OidcConfig } from './config.ts';

/** What a sign-in tells about the person. */
export interface OidcPerson {
  issuer: string;
  subject: string;
  email: string | null;
  /** `email_verified` as the provider sent it (null: it did not say). */
  emailVerified: boolean | null;
  name: string | null;
  /** The groups claim's values (none when the provider sent no such claim). */
  groups: string[];
}

/** What a sign-in under way keeps between the start and the callback. */
export interface OidcChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Why a callback failed, for the refused page: the provider said no, or its answer did not check out, or it could not be reached. */
export class OidcFailure extends Error {
  constructor(
    readonly kind: 'provider_refused' | 'invalid_response' | 'unreachable',
    message: string,
    /** A short code for the log (never a token or a claim). */
    readonly code: string,
  ) {
    super(message);
  }
}

const TIMEOUT_S = 10;

/** A claim by its name, or by a dotted path into nested objects (Keycloak's `realm_access.roles`). */
function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let at: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof at !== 'object' || at === null || !(part in at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

function groupsOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  return [];
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

function failure(err: unknown): OidcFailure {
  // An error code as RFC 6749 spells them (`access_denied`); anything else, from a hand-made URL, is not repeated.
  const said = (e: string) => (/^[\w.-]{1,64}$/.test(e) ? e : 'error');
  if (err instanceof client.AuthorizationResponseError) {
    return new OidcFailure('provider_refused', `the provider did not sign you in (${said(err.error)})`, `provider:${said(err.error)}`);
  }
  if (err instanceof client.ResponseBodyError) {
    return new OidcFailure('invalid_response', `the provider refused to complete the sign-in (${said(err.error)})`, `token:${said(err.error)}`);
  }
  const code = (err as { code?: unknown }).code;
  const name = err instanceof Error ? err.name : 'Error';
  if (name === 'TimeoutError' || name === 'AbortError' || (err instanceof TypeError && /fetch failed/.test(err.message))) {
    return new OidcFailure('unreachable', 'the sign-in provider cannot be reached right now', `network:${name}`);
  }
  return new OidcFailure('invalid_response', "the provider's answer did not check out", `check:${typeof code === 'string' ? code : name}`);
}

export function oidcClient(settings: OidcConfig) {
  const insecure = new URL(settings.issuer).protocol === 'http:';
  let configuration: Promise<client.Configuration> | null = null;

  async function discover(): Promise<client.Configuration> {
    const found = await client.discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
      timeout: TIMEOUT_S,
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
    });
    const metadata = found.serverMetadata();
    // client_secret_basic is the default when the provider lists nothing (OpenID Connect Discovery);
    // client_secret_post for a provider that offers only that.
    const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    const auth =
      !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
        ? client.ClientSecretPost(settings.clientSecret)
        : client.ClientSecretBasic(settings.clientSecret);
    const made = new client.Configuration(metadata, settings.clientId, settings.clientSecret, auth);
    if (insecure) client.allowInsecureRequests(made);
    made.timeout = TIMEOUT_S;
    return made;
  }

  /** The provider's configuration: discovered once, and again after a discovery that failed. */
  function provider(): Promise<client.Configuration> {
    configuration ??= discover().catch((err) => {
      configuration = null;
      throw failure(err);
    });
    return configuration;
  }

  return {
    /** Fresh random checks for a sign-in that starts. */
    newChecks(): OidcChecks {
      return { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    },

    /** Where the browser goes to sign in at the provider. */
    async authorizationUrl(checks: OidcChecks): Promise<URL> {
      const config = await provider();
      return client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
        state: checks.state,
        nonce: checks.nonce,
      });
    },

    /**
     * The callback: `query` is the authorization response as the browser brought it. Throws
     * OidcFailure when anything does not check out.
     */
    async complete(query: string, checks: OidcChecks): Promise<OidcPerson> {
      const config = await provider();
      // The redirect URI from configuration (never from the request's Host), with the response's parameters.
      const currentUrl = new URL(settings.redirectUri);
      currentUrl.search = query;
      try {
        const tokens = await client.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims();
        if (!idToken) throw new OidcFailure('invalid_response', 'the provider sent no ID token', 'check:no_id_token');
        const claims: Record<string, unknown> = { ...idToken };
        let groups = groupsOf(claimAt(claims, settings.groupsClaim));
        if ((groups === undefined || text(claims.email) === null) && config.serverMetadata().userinfo_endpoint) {
          const info: Record<string, unknown> = { ...(await client.fetchUserInfo(config, tokens.access_token, idToken.sub)) };
          groups ??= groupsOf(claimAt(info, settings.groupsClaim));
          if (text(claims.email) === null) {
            claims.email = info.email;
            claims.email_verified = info.email_verified;
          }
          claims.name = text(claims.name) ?? info.name;
        }
        return {
          issuer: idToken.iss,
          subject: idToken.sub,
          email: text(claims.email),
          emailVerified: typeof claims.email_verified === 'boolean' ? claims.email_verified : null,
          name: text(claims.name),
          groups: groups ?? [],
        };
      } catch (err) {
        throw err instanceof OidcFailure ? err : failure(err);
      }
    },
  };
}

export type OidcClient = ReturnType<typeof oidcClient>;

/**
 * Integrations (CONTRACT §13): a URL per source that turns the source's own deliveries into events.
 * Shared by the server (routes, hooks) and the PWA (Settings → Integrations).
 */

/** The sources, in the order the PWA offers them. */
export const INTEGRATION_SOURCES = ['alertmanager', 'grafana', 'github', 'stripe', 'sentry', 'uptime-kuma', 'pagerduty'] as const;
export type IntegrationSource = (typeof INTEGRATION_SOURCES)[number];

/**
 * Sources whose deliveries are signed with a secret the sender shows. GitHub's is chosen by people, so
 * it is required when creating one; Stripe makes its own only once the endpoint exists, so a Stripe
 * integration may be created first and given its secret after (deliveries are refused until then).
 */
export const SIGNED_SOURCES: readonly IntegrationSource[] = ['github', 'stripe'];

/** How each source is named to people, and its avatar on events. */
export const SOURCE_INFO: Record<IntegrationSource, { label: string; avatar: string }> = {
  alertmanager: { label: 'Prometheus Alertmanager', avatar: '🔥' },
  grafana: { label: 'Grafana alerting', avatar: '📈' },
  github: { label: 'GitHub', avatar: '🐙' },
  stripe: { label: 'Stripe', avatar: '💳' },
  sentry: { label: 'Sentry', avatar: '🐛' },
  'uptime-kuma': { label: 'Uptime Kuma', avatar: '🟢' },
  pagerduty: { label: 'PagerDuty Events API v2', avatar: '📟' },
};

export function isIntegrationSource(value: unknown): value is IntegrationSource {
  return typeof value === 'string' && (INTEGRATION_SOURCES as readonly string[]).includes(value);
}

/** A signing secret as the sender shows it: GitHub's is chosen by people, Stripe's starts `whsec_`. */
export const SIGNING_SECRET_MAX = 255;

/** Signed sources whose secret may come after the URL (the sender makes it). */
export const SECRET_LATER: readonly IntegrationSource[] = ['stripe'];

/** The path an integration's deliveries go to; the token is one of the project's keys. */
export function hookPath(source: IntegrationSource, token: string): string {
  return `/api/v1/hooks/${source}/${token}`;
}

/** `POST /api/projects/:slug/integrations` */
export interface CreateIntegrationBody {
  source: IntegrationSource;
  /** GitHub's or Stripe's signing secret (required for those, refused for the others). */
  secret?: string;
}

/** An integration as listed (never its token). */
export interface IntegrationDto {
  id: string;
  source: IntegrationSource;
  /** The token's first characters, to tell integrations apart. */
  prefix: string;
  /** Whether deliveries must be signed (GitHub, Stripe). */
  signed: boolean;
  /** A signed integration without its secret yet refuses every delivery (a Stripe one, until it is set). */
  secretSet: boolean;
  createdAt: string;
  /** The last delivery that was accepted. */
  lastUsedAt: string | null;
  createdBy: { id: string; email: string } | null;
}

/** The answer to create and rotate (201): the URL holds the token and is shown this once. */
export interface CreatedIntegration extends IntegrationDto {
  url: string;
}

/** `PUT /api/projects/:slug/integrations/:id/secret`: a signed integration's secret, set or replaced. */
export interface IntegrationSecretBody {
  secret: string;
}

export interface IntegrationList {
  integrations: IntegrationDto[];
}

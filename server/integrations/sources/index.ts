/**
 * The mapping of each source's deliveries into events (CONTRACT §13). mapDelivery never throws and always
 * gives at least one event: a mapper that throws, gives nothing, or gives an event the ingest parser
 * refuses is replaced by the unknown-shape event holding the delivery as it came.
 */
import { parseIngestBody } from '../../../contract/ingest.ts';
import type { IntegrationSource } from '../../../contract/integrations.ts';
import type { HookDelivery, Mapper, MappedEvent } from '../types.ts';
import { mapAlertmanager } from './alertmanager.ts';
import { MAX_EVENTS } from './common.ts';
import { mapGithub } from './github.ts';
import { mapGrafana } from './grafana.ts';
import { mapSentry } from './sentry.ts';
import { mapStripe } from './stripe.ts';
import { unknownEvent } from './unknown.ts';
import { mapUptimeKuma } from './uptimeKuma.ts';

export const MAPPERS: Record<Exclude<IntegrationSource, 'pagerduty'>, Mapper> = {
  alertmanager: mapAlertmanager,
  grafana: mapGrafana,
  github: mapGithub,
  stripe: mapStripe,
  sentry: mapSentry,
  'uptime-kuma': mapUptimeKuma,
};

export function mapDelivery(delivery: HookDelivery): MappedEvent[] {
  try {
    const mapper = Object.hasOwn(MAPPERS, delivery.source) ? MAPPERS[delivery.source as keyof typeof MAPPERS] : undefined;
    const events = mapper ? mapper(delivery).slice(0, MAX_EVENTS) : [];
    if (Array.isArray(events) && events.length > 0) {
      const valid = events.filter((e) => parseIngestBody(e).ok);
      // Nothing is dropped unseen: an event the parser refuses is kept as the delivery itself.
      return valid.length === events.length ? valid : [...valid, unknownEvent(delivery)];
    }
  } catch {
    // Falls through to the unknown-shape event.
  }
  return [unknownEvent(delivery)];
}

export { unknownEvent };

/**
 * How each integration source is named in Settings, in the current language. The contract's
 * SOURCE_INFO labels are the server's too (audit details, error messages, key names), so they stay
 * English there; here each source id maps to its catalog text (the product names themselves stay).
 */
import type { IntegrationSource } from '../../../contract/integrations.ts';
import { t } from '../../i18n/i18n.ts';

const LABELS: Record<IntegrationSource, () => string> = {
  alertmanager: () => t('settings.source.alertmanager'),
  grafana: () => t('settings.source.grafana'),
  github: () => t('settings.source.github'),
  stripe: () => t('settings.source.stripe'),
  sentry: () => t('settings.source.sentry'),
  'uptime-kuma': () => t('settings.source.uptimeKuma'),
  pagerduty: () => t('settings.source.pagerduty'),
};

export const sourceLabel = (source: IntegrationSource): string => LABELS[source]();

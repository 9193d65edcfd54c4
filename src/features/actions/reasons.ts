/** Human words for the reasons the server records: a failed press, a failed POST of a decision (pure). */
import { t } from '../../i18n/i18n.ts';

const WORDS: Record<string, () => string> = {
  timeout: () => t('core.reason.timeout'),
  connection_refused: () => t('core.reason.connection_refused'),
  connection_reset: () => t('core.reason.connection_reset'),
  dns: () => t('core.reason.dns'),
  blocked_by_policy: () => t('core.reason.blocked_by_policy'),
  tls: () => t('core.reason.tls'),
  interrupted: () => t('core.reason.interrupted'),
  // A reply pressed at the same moment as another (§11): the other was recorded first.
  decided: () => t('core.reason.decided'),
};

export function describeReason(reason: string | null): string {
  if (!reason) return t('core.reason.unknown');
  const http = /^http_(\d{3})$/.exec(reason);
  if (http) return t('core.reason.http', { status: http[1]! });
  return Object.hasOwn(WORDS, reason) ? WORDS[reason]!() : reason.replace(/_/g, ' ');
}

/** An action's risk level in words (a button's tag, the confirm step, Settings → Policy). */
import type { Risk } from '../../../contract/policy.ts';
import { t } from '../../i18n/i18n.ts';

/** A risk level's name ("High"), read when used: the language may change. */
export const RISK_LABEL: Readonly<Record<Risk, string>> = {
  get low() {
    return t('core.risk.low');
  },
  get high() {
    return t('core.risk.high');
  },
  get critical() {
    return t('core.risk.critical');
  },
};

/** A risk level as a phrase ("High risk"). */
export const RISK_SAID: Record<Risk, () => string> = {
  low: () => t('core.risk.lowRisk'),
  high: () => t('core.risk.highRisk'),
  critical: () => t('core.risk.criticalRisk'),
};

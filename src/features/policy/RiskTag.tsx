/**
 * An action's risk beside its text on the button, when it is more than low: a quiet outlined "High",
 * a filled "Critical". It is shown, not read out as part of the button's name: the button's
 * description says it (RiskWords), so the name stays the sender's button text.
 */
import type { Risk } from '../../../contract/policy.ts';
import { t } from '../../i18n/i18n.ts';
import { RISK_LABEL, RISK_SAID } from './risk.ts';

const LOOK: Record<Exclude<Risk, 'low'>, string> = {
  // Outlined in the button's own colour: it reads on every tone (danger, primary, neutral, settled).
  high: 'ring-1 ring-current/60',
  // Filled, and the same on every tone: the one that asks for a second look.
  critical: 'bg-red-900 text-white ring-1 ring-red-950/40 dark:bg-red-200 dark:text-red-950 dark:ring-red-100',
};

export function RiskTag({ risk }: { risk: Risk }) {
  if (risk === 'low') return null;
  return (
    <span aria-hidden="true" className={`rounded px-1 text-xs font-semibold leading-4 ${LOOK[risk]}`}>
      {RISK_LABEL[risk]}
    </span>
  );
}

/** For screen readers, in the button's description: "High risk." (nothing for low). */
export function RiskWords({ risk }: { risk: Risk }) {
  if (risk === 'low') return null;
  return <span className="sr-only">{t('core.risk.said', { risk: RISK_SAID[risk]() })} </span>;
}

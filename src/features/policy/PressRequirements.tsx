/**
 * What a press of this action will require under its project's policy, said in the confirm step before
 * anything is sent: proof of who you are, approvals, a delay — or that presses are frozen. Nothing while
 * the policy loads (or when it could not be read: the server still decides), nothing for a press that
 * needs nothing more.
 */
import { frozenFor, pressRequirements, type Risk } from '../../../contract/policy.ts';
import { t } from '../../i18n/i18n.ts';
import { usePolicy } from './api.ts';
import { requirementWords } from './words.ts';
import { RISK_SAID } from './risk.ts';

export function PressRequirements({ slug, risk }: { slug: string; risk: Risk }) {
  const policy = usePolicy(slug).data;
  if (!policy) return null;
  const frozen = policy.freeze && frozenFor(risk);
  const words = pressRequirements(policy[risk], frozen).map(requirementWords);
  if (words.length === 0) return null;
  if (frozen) {
    return <p className="rounded-lg bg-amber-50 px-3 py-2 font-medium text-amber-950 dark:bg-amber-950 dark:text-amber-100">{words[0]}</p>;
  }
  return (
    <div className="rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-700">
      <p className="font-medium text-slate-900 dark:text-white">{t('core.policy.under', { risk: RISK_SAID[risk]() })}</p>
      <ul className="list-disc ps-5">
        {words.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </div>
  );
}

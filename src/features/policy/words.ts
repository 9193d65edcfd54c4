/** A press policy in words (pure): the names of its risk levels and columns, and a change as the Activity page shows it. */
import { RISKS, type Risk, type RiskRule } from '../../../contract/policy.ts';

export const RISK_LABEL: Record<Risk, string> = { low: 'Low', high: 'High', critical: 'Critical' };

/** The policy table's columns: the heading, and the words of one value in a sentence. */
export const RULE_FIELDS: readonly { key: keyof RiskRule; heading: string; spoken: string; words: (n: number) => string }[] = [
  { key: 'stepUpMinutes', heading: 'Step-up (min)', spoken: 'step-up minutes', words: (n) => (n === 0 ? 'no step-up' : `step-up ${n} min`) },
  { key: 'approvals', heading: 'Approvals', spoken: 'approvals', words: (n) => (n === 1 ? '1 approval' : `${n} approvals`) },
  { key: 'delaySeconds', heading: 'Delay (s)', spoken: 'delay seconds', words: (n) => (n === 0 ? 'no delay' : `delay ${n} s`) },
];

/** The values of one rule as "30/0/5", in the table's column order. */
export const ruleShort = (rule: RiskRule) => RULE_FIELDS.map((f) => rule[f.key]).join('/');

/**
 * An audited policy change (`detail.change`: the request's body, any part of the policy) in words:
 * "High: delay 10 s · froze presses". What the body did not name is left out.
 */
export function policyChangeInWords(change: unknown): string {
  const body = (change && typeof change === 'object' ? change : {}) as Partial<Record<Risk, Partial<Record<keyof RiskRule, unknown>>>> & { freeze?: unknown };
  const parts: string[] = [];
  for (const risk of RISKS) {
    const rule = body[risk];
    if (!rule || typeof rule !== 'object') continue;
    const said = RULE_FIELDS.filter((f) => typeof rule[f.key] === 'number').map((f) => f.words(rule[f.key] as number));
    if (said.length > 0) parts.push(`${RISK_LABEL[risk]}: ${said.join(', ')}`);
  }
  if (body.freeze === true) parts.push('froze presses');
  if (body.freeze === false) parts.push('unfroze presses');
  return parts.join(' · ');
}

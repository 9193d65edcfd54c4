/** A press policy in words (pure): its columns, a press's requirements, and a change as the Activity page shows it. */
import { type PressRequirement, RISKS, type Risk, type RiskRule } from '../../../contract/policy.ts';
import { t } from '../../i18n/i18n.ts';
import { listOf } from '../../lib/words.ts';
import { RISK_LABEL } from './risk.ts';

interface RuleField {
  key: keyof RiskRule;
  /** The column's heading ("Step-up (min)"). */
  readonly heading: string;
  /** Its name for a screen reader ("step-up minutes"). */
  readonly spoken: string;
  /** One value in a sentence ("step-up 30 min", "no delay"). */
  words: (n: number) => string;
}

/** The policy table's columns: the heading, and the words of one value in a sentence (read when used). */
export const RULE_FIELDS: readonly RuleField[] = [
  {
    key: 'stepUpMinutes',
    get heading() {
      return t('core.policy.field.stepUp.heading');
    },
    get spoken() {
      return t('core.policy.field.stepUp.spoken');
    },
    words: (n) => (n === 0 ? t('core.policy.words.noStepUp') : t('core.policy.words.stepUp', { n })),
  },
  {
    key: 'approvals',
    get heading() {
      return t('core.policy.field.approvals.heading');
    },
    get spoken() {
      return t('core.policy.field.approvals.spoken');
    },
    words: (n) => t('core.policy.words.approvals', { n }),
  },
  {
    key: 'delaySeconds',
    get heading() {
      return t('core.policy.field.delay.heading');
    },
    get spoken() {
      return t('core.policy.field.delay.spoken');
    },
    words: (n) => (n === 0 ? t('core.policy.words.noDelay') : t('core.policy.words.delay', { n })),
  },
];

/** The values of one rule as "30/0/5", in the table's column order. */
export const ruleShort = (rule: RiskRule) => RULE_FIELDS.map((f) => rule[f.key]).join('/');

/** What a press will require (contract's `pressRequirements`), in a sentence each. */
export function requirementWords(need: PressRequirement): string {
  switch (need.kind) {
    case 'frozen':
      return t('core.policy.frozen');
    case 'stepUp':
      return t('core.policy.stepUp', { minutes: need.minutes });
    case 'approvals':
      return t('core.policy.approvals', { count: need.count });
    case 'delay':
      return t('core.policy.delay', { seconds: need.seconds });
  }
}

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
    if (said.length > 0) parts.push(t('core.policy.change.risk', { risk: RISK_LABEL[risk], changes: listOf(said) }));
  }
  if (body.freeze === true) parts.push(t('core.policy.change.froze'));
  if (body.freeze === false) parts.push(t('core.policy.change.unfroze'));
  return parts.join(' · ');
}

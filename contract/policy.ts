/**
 * What a press requires (CONTRACT.md §10): an action's risk, and each project's policy per risk level
 * — step-up, approvals, a delay — and its freeze. The server enforces it; the PWA reads it to say
 * beforehand what a press will require. Both use the defaults and limits here; what a press requires
 * (`pressRequirements`) is said here once, and the PWA puts it in the person's words.
 */

export const RISKS = ['low', 'high', 'critical'] as const;
export type Risk = (typeof RISKS)[number];

/** An action's risk: the sender's, or `high` for a `danger` button, else `low`. */
export const riskOf = (risk: Risk | null | undefined, type: string | null | undefined): Risk => risk ?? (type === 'danger' ? 'high' : 'low');

/** What a press of one risk level requires. */
export interface RiskRule {
  /** 0 = off; else the presser must have proved who they are within this many minutes. */
  stepUpMinutes: number;
  /** How many other people who may press the action must approve first (0, 1 or 2). */
  approvals: number;
  /** After the last required yes the press waits this long, and may be cancelled meanwhile. */
  delaySeconds: number;
}

export const POLICY_LIMITS = { stepUpMinutes: 1440, approvals: 2, delaySeconds: 300, escalationMinutes: 1440 } as const;

/**
 * §12: a pushed event still `open` this many minutes after it came is pushed once more, titled
 * `Unacknowledged: <name>`, to the project's admins or to everyone. 0: off.
 */
export interface Escalation {
  afterMinutes: number;
  to: 'admins' | 'everyone';
}
export const ESCALATION_TARGETS = ['admins', 'everyone'] as const;
export const DEFAULT_ESCALATION: Escalation = { afterMinutes: 0, to: 'admins' };

/** Who froze the presses, and when (ISO time). */
export interface Freeze {
  by: { id: string; email: string };
  at: string;
}

/** A project's policy as GET /api/projects/:slug/policy answers it. */
export interface Policy extends Record<Risk, RiskRule> {
  /** While on, every press of a high or critical action is refused (423 `frozen`). */
  freeze: boolean;
  escalation: Escalation;
  /** Who turned the freeze on and when; null while off. */
  frozen: Freeze | null;
  /** The last change: when and by whom (null: never changed, the defaults). */
  updatedAt: string | null;
  updatedBy: string | null;
}

export const DEFAULT_RULES: Record<Risk, RiskRule> = {
  low: { stepUpMinutes: 0, approvals: 0, delaySeconds: 0 },
  high: { stepUpMinutes: 30, approvals: 0, delaySeconds: 5 },
  critical: { stepUpMinutes: 5, approvals: 1, delaySeconds: 15 },
};

/** The stored part of a policy (the server keeps it as one JSON document per project). */
export type PolicyDocument = Record<Risk, RiskRule> & { frozen: Freeze | null; escalation: Escalation };

export const DEFAULT_POLICY_DOCUMENT: PolicyDocument = { ...DEFAULT_RULES, frozen: null, escalation: DEFAULT_ESCALATION };

/** PUT /api/projects/:slug/policy: any part of the policy; what is left out stays (validated by ./policyChange.ts). */
export type PolicyChange = Partial<Record<Risk, Partial<RiskRule>>> & { freeze?: boolean; escalation?: Partial<Escalation> };

/** The document after a change by `by` at `at` (a freeze keeps who turned it on first). */
export function changedPolicy(doc: PolicyDocument, change: PolicyChange, by: Freeze['by'], at: string): PolicyDocument {
  const next: PolicyDocument = { ...doc };
  for (const risk of RISKS) if (change[risk]) next[risk] = { ...doc[risk], ...change[risk] } as RiskRule;
  if (change.freeze === true && doc.frozen === null) next.frozen = { by, at };
  if (change.freeze === false) next.frozen = null;
  if (change.escalation) next.escalation = { ...doc.escalation, ...change.escalation };
  return next;
}

/** A stored document read back: whatever it lacks (an older one) takes the defaults. */
export function policyDocumentFrom(stored: string | null): PolicyDocument {
  if (stored === null) return DEFAULT_POLICY_DOCUMENT;
  const parsed = JSON.parse(stored) as Partial<PolicyDocument>;
  const doc: PolicyDocument = { ...DEFAULT_POLICY_DOCUMENT, frozen: parsed.frozen ?? null, escalation: { ...DEFAULT_ESCALATION, ...parsed.escalation } };
  for (const risk of RISKS) doc[risk] = { ...DEFAULT_RULES[risk], ...parsed[risk] };
  return doc;
}

/** The freeze applies to this risk level. */
export const frozenFor = (risk: Risk) => risk !== 'low';

/** One thing a press will require, in the order it happens (the PWA says each in words). */
export type PressRequirement =
  | { kind: 'frozen' }
  | { kind: 'stepUp'; minutes: number }
  | { kind: 'approvals'; count: number }
  | { kind: 'delay'; seconds: number };

/** What a press at this risk level will require, for the confirm dialog (empty: nothing more); frozen: only that it is refused. */
export function pressRequirements(rule: RiskRule, frozen: boolean): PressRequirement[] {
  if (frozen) return [{ kind: 'frozen' }];
  const needs: PressRequirement[] = [];
  if (rule.stepUpMinutes > 0) needs.push({ kind: 'stepUp', minutes: rule.stepUpMinutes });
  if (rule.approvals > 0) needs.push({ kind: 'approvals', count: rule.approvals });
  if (rule.delaySeconds > 0) needs.push({ kind: 'delay', seconds: rule.delaySeconds });
  return needs;
}

/**
 * A project's press policy as the server reads and enforces it (§10). The rules, defaults and limits
 * are contract/policy.ts's, shared with the PWA; this file reads the stored document and decides
 * what a press needs before it may run.
 */
import type { Me } from '../../contract/api.ts';
import { frozenFor, type Policy, type PolicyDocument, policyDocumentFrom, type Risk } from '../../contract/policy.ts';
import { ApiError } from '../http/errors.ts';
import type { StoreRepositories } from '../store/types.ts';

export interface StoredPolicy {
  doc: PolicyDocument;
  updatedAt: number | null;
  updatedBy: string | null;
}

export async function readPolicy(store: Pick<StoreRepositories, 'policies'>, projectId: number): Promise<StoredPolicy> {
  const row = await store.policies.get(projectId);
  return { doc: policyDocumentFrom(row?.document ?? null), updatedAt: row ? Number(row.updated_at) : null, updatedBy: row?.updated_by ?? null };
}

export const policyDto = ({ doc, updatedAt, updatedBy }: StoredPolicy): Policy => ({
  low: doc.low,
  high: doc.high,
  critical: doc.critical,
  freeze: doc.frozen !== null,
  frozen: doc.frozen,
  escalation: doc.escalation,
  updatedAt: updatedAt === null ? null : new Date(updatedAt).toISOString(),
  updatedBy,
});

/** The person pressing, as the policy needs them: who, and when their session last proved it. */
export interface Presser extends Pick<Me, 'id' | 'email'> {
  /** When this session's person last proved who they are (signing in counts). */
  provenAt: number;
}

/**
 * Why the policy does not allow a press now, or null: 423 `frozen` (high and critical, while frozen),
 * 401 `step_up_required` (the presser has not proved who they are within the risk's minutes).
 */
export function checkPress(doc: PolicyDocument, risk: Risk, presser: Presser, now: number): ApiError | null {
  if (doc.frozen !== null && frozenFor(risk)) {
    const { by, at } = doc.frozen;
    return new ApiError(423, 'frozen', `presses of high and critical actions are frozen in this project (by ${by.email} since ${at})`);
  }
  const minutes = doc[risk].stepUpMinutes;
  if (minutes > 0 && now - presser.provenAt > minutes * 60_000) {
    return new ApiError(401, 'step_up_required', `a ${risk} action needs you to confirm it's you (passkey or password) within ${minutes} min of pressing`);
  }
  return null;
}

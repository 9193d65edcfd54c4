/**
 * Press requests (§10) as both stores read them: the columns an action's row carries of its newest
 * request (prefixed `r_`, from `LEFT JOIN press_requests r`), and rows → `PressRequestDto`.
 */
import type { Risk } from '../../contract/policy.ts';
import type { PersonRef, PressRequestDto, RequestStatus } from '../../contract/requests.ts';

export const REQUEST_COLUMNS = `r.id AS r_id, r.status AS r_status, r.risk AS r_risk, r.needed AS r_needed, r.approved_by AS r_approved_by,
    r.requested_by AS r_requested_by, r.requested_email AS r_requested_email, r.requested_at AS r_requested_at,
    r.expires_at AS r_expires_at, r.delay_seconds AS r_delay_seconds, r.runs_at AS r_runs_at, r.ended_by AS r_ended_by,
    r.ended_email AS r_ended_email, r.ended_at AS r_ended_at, r.reason AS r_reason`;

/** A request's columns as `REQUEST_COLUMNS` names them (all null: the action never had one). */
export interface RequestColumns {
  r_id: string | null;
  r_status: RequestStatus | null;
  r_risk: Risk | null;
  r_needed: number | null;
  r_approved_by: string | null;
  r_requested_by: string | null;
  r_requested_email: string | null;
  r_requested_at: number | null;
  r_expires_at: number | null;
  r_delay_seconds: number | null;
  r_runs_at: number | null;
  r_ended_by: string | null;
  r_ended_email: string | null;
  r_ended_at: number | null;
  r_reason: string | null;
}

/** One approval as `press_requests.approved_by` keeps it (JSON). */
export interface StoredApproval extends PersonRef {
  at: number;
}

const iso = (t: number) => new Date(Number(t)).toISOString();

export function requestDto(row: RequestColumns): PressRequestDto | null {
  if (row.r_id === null) return null;
  const approvals = JSON.parse(row.r_approved_by ?? '[]') as StoredApproval[];
  return {
    id: row.r_id,
    status: row.r_status as RequestStatus,
    risk: row.r_risk as Risk,
    needed: Number(row.r_needed),
    approvedBy: approvals.map((a) => ({ id: a.id, email: a.email, at: iso(a.at) })),
    requestedBy: { id: row.r_requested_by ?? '', email: row.r_requested_email ?? '' },
    requestedAt: iso(row.r_requested_at ?? 0),
    expiresAt: iso(row.r_expires_at ?? 0),
    delaySeconds: Number(row.r_delay_seconds),
    runsAt: row.r_runs_at === null ? null : iso(row.r_runs_at),
    ended:
      row.r_ended_at === null
        ? null
        : { by: row.r_ended_by === null ? null : { id: row.r_ended_by, email: row.r_ended_email ?? '' }, at: iso(row.r_ended_at), reason: row.r_reason },
  };
}

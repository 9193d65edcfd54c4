/**
 * A press that must wait (CONTRACT.md §10): for approvals by other people, then for its delay, which
 * anyone who may press the action can cancel. The server keeps it as a request; the PWA shows it on
 * the action (`ActionDto.request`) and answers it (`POST /api/approvals/:id/approve|deny`).
 */
import type { Risk } from './policy.ts';

/**
 * `awaiting_approval` → `scheduled` → `sent` (then the action's attempt tells how it went), or it ends
 * unsent: `cancelled` (someone cancelled the delay), `denied` (an approver said no),
 * `approval_expired` (nobody answered in time: silence is never a yes), `expired` (the action expired
 * before its delay ended).
 */
export const REQUEST_STATUSES = ['awaiting_approval', 'scheduled', 'sent', 'cancelled', 'denied', 'approval_expired', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The request still waits: it holds its action, and may be approved, denied or cancelled. */
export const isWaiting = (status: RequestStatus) => status === 'awaiting_approval' || status === 'scheduled';

/** Approvals are asked for at most this long (or until the action expires, if sooner). */
export const APPROVAL_WINDOW_MS = 60 * 60_000;

export interface PersonRef {
  id: string;
  email: string;
}

export interface PressRequestDto {
  id: string;
  status: RequestStatus;
  risk: Risk;
  /** How many approvals the press needs (by people other than the requester). */
  needed: number;
  approvedBy: (PersonRef & { at: string })[];
  requestedBy: PersonRef;
  requestedAt: string;
  /** Until when approvals are taken. */
  expiresAt: string;
  /** The delay after the last yes, in seconds. */
  delaySeconds: number;
  /** When it is (or was) sent: set once the last approval is in. */
  runsAt: string | null;
  /** How it ended unsent (cancelled, denied, expired): who, when, why; null while it waits or once sent. */
  ended: { by: PersonRef | null; at: string; reason: string | null } | null;
}

/** POST /api/approvals/:id/deny (and approve): an optional reason, shown to everyone. */
export const REASON_MAX = 300;

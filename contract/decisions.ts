/**
 * Decisions that the sender reads back (CONTRACT.md §11). An event's reply actions (`"reply": true`)
 * are one question: the first of them whose press completes decides it, with the presser's input.
 * One statement of the rules, read by the server (the decision route, the MCP tools, the reply POST)
 * and by the PWA (the answer on the card, `Not chosen` on the other buttons).
 */

/** What a person may type in an action's confirm step (`input` on the action). */
export interface ActionInputSpec {
  label: string;
  required: boolean;
  maxLength: number;
}

/** The longest an action's `input` may be, and the longest its label. */
export const INPUT_MAX = 2000;
export const INPUT_LABEL_MAX = 100;
/** The longest a long poll (`?wait=`, MCP's `waitSeconds`) may wait, in seconds. */
export const WAIT_MAX_SECONDS = 60;

/** The decision as the event's row keeps it (null until a reply action completes). */
export interface StoredDecision {
  key: string;
  input: string | null;
  by: { id: string; email: string; name: string };
  at: string;
}

export const DECISION_STATUSES = ['pending', 'decided', 'expired'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** GET /api/v1/events/:id/decision, the MCP tools' answer, and the body POSTed to the event's `replyUrl`. */
export interface DecisionDto {
  /** The event that asks. */
  id: string;
  status: DecisionStatus;
  /** The reply action chosen (`decided`), else null. */
  key: string | null;
  /** Its button's text, to say the answer in words. */
  buttonText: string | null;
  input: string | null;
  decidedBy: { id: string; email: string; name: string } | null;
  decidedAt: string | null;
  /** When the question stops taking answers: the last of its reply actions' expiries. */
  expiresAt: string | null;
}

/** How the decision's POST to the event's replyUrl went (the event's page shows it, like an attempt). */
export interface ReplyDeliveryDto {
  /** `pending`: queued or to be tried again; `gave_up`: no 2xx within a day. */
  status: 'pending' | 'delivered' | 'gave_up';
  attempts: number;
  lastAt: string | null;
  lastStatus: number | null;
  /** Why the last try failed (`http_500`, `timeout`, `blocked_by_policy`, …). */
  lastReason: string | null;
  /** When it is tried next (`pending`). */
  nextAt: string | null;
}

/** What `decisionOf` reads of an event (EventDto has it). */
export interface Question {
  id: string;
  actions: readonly { key: string; buttonText: string; reply: boolean; expiresAt: string }[];
  decision: StoredDecision | null;
}

/** Whether the event asks a question (has reply actions). */
export const asksQuestion = (event: Pick<Question, 'actions'>) => event.actions.some((a) => a.reply);

/**
 * The decision of an event at `now`: `decided` once a reply action completed; `expired` when every
 * reply action expired undecided (silence is never an answer); else `pending`.
 */
export function decisionOf(event: Question, now: number): DecisionDto {
  const replies = event.actions.filter((a) => a.reply);
  const last = replies.reduce<number | null>((max, a) => Math.max(max ?? 0, Date.parse(a.expiresAt)), null);
  const expiresAt = last === null ? null : new Date(last).toISOString();
  const d = event.decision;
  if (d) {
    const chosen = replies.find((a) => a.key === d.key);
    return { id: event.id, status: 'decided', key: d.key, buttonText: chosen?.buttonText ?? null, input: d.input, decidedBy: d.by, decidedAt: d.at, expiresAt };
  }
  const status = last !== null && last <= now ? 'expired' : 'pending';
  return { id: event.id, status, key: null, buttonText: null, input: null, decidedBy: null, decidedAt: null, expiresAt };
}

/** A reply action that may no longer be chosen because another one was (`Not chosen`). */
export const notChosen = (event: Pick<Question, 'decision'>, action: { key: string; reply: boolean }) =>
  action.reply && event.decision !== null && event.decision.key !== action.key;

/**
 * The text a press sends for an action with `input` (trimmed; empty is none), or why not: required
 * and missing, longer than the action allows, or given to an action that takes none.
 */
export function checkInput(spec: ActionInputSpec | null, raw: string | null | undefined): { ok: true; input: string | null } | { ok: false; message: string } {
  const text = raw?.trim() ?? '';
  if (spec === null) return text === '' ? { ok: true, input: null } : { ok: false, message: 'is not asked for by this action (it has no "input")' };
  if (text === '') return spec.required ? { ok: false, message: `is required: ${spec.label}` } : { ok: true, input: null };
  if (text.length > spec.maxLength) return { ok: false, message: `must be at most ${spec.maxLength} characters` };
  return { ok: true, input: text };
}

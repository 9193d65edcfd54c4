/** Field limits of CONTRACT.md §1. The numbers are the contract: change them only on purpose. */
export const LIMITS = {
  bodyBytes: 100 * 1024,
  name: 200,
  avatarText: 8,
  url: 2048,
  contentBytes: 64 * 1024,
  category: 64,
  contextId: 191,
  userId: 191,
  actions: 10,
  buttonText: 48,
  actionKey: 64,
  expireInMin: 1,
  expireInMax: 43_200,
  expireInDefault: 10_080,
  metaBytes: 4 * 1024,
  /** An action's confirmText (§10). */
  confirmText: 300,
  /** How deep objects/arrays may nest in content and meta; far below where JSON.stringify overflows the stack. */
  jsonDepth: 128,
  idempotencyKey: 255,
  /** §12: an event's dedupKey. */
  dedupKey: 255,
} as const;

export const EVENT_TYPES = ['text', 'json', 'image', 'rows'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const ROW_TYPES = ['text', 'json', 'image'] as const;
export type RowType = (typeof ROW_TYPES)[number];
export const ACTION_EMPHASIS = ['danger', 'important'] as const;
export type ActionEmphasis = (typeof ACTION_EMPHASIS)[number];

export const PASSWORD_MIN = 10;

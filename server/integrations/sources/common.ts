/**
 * Helpers shared by the mapping modules (CONTRACT §13): read untrusted JSON without throwing, and build
 * ingest-format events whose every field is already within LIMITS (contract/limits.ts).
 */
import { createHash } from 'node:crypto';
import { type JsonValue, nestedDeeperThan } from '../../../contract/ingest.ts';
import { type IntegrationSource, SOURCE_INFO } from '../../../contract/integrations.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { hasUserinfo, isHttpUrl, utf8Bytes } from '../../../contract/text.ts';
import { BATCH_MAX_EVENTS } from '../../ingest/batch.ts';
import type { MappedEvent } from '../types.ts';

export type Obj = Record<string, unknown>;

/** One delivery becomes at most as many events as one batch to POST /api/v1/log may hold. */
export const MAX_EVENTS = BATCH_MAX_EVENTS;

/** The value when it is a plain object, else an empty one. */
export function obj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

export function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string (numbers count: ids are often numbers), else undefined. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** At most `max` UTF-16 units, ending in "…" when cut (never splitting a surrogate pair). */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

/** The longest start of `value` whose JSON string form fits in `maxBytes` (escapes and UTF-8 counted). */
export function clipToBytes(value: string, maxBytes: number, note = '…'): string {
  const size = (s: string) => utf8Bytes(JSON.stringify(s));
  if (size(value) <= maxBytes) return value;
  let lo = 0;
  let hi = Math.min(value.length, maxBytes);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(value.slice(0, mid) + note) <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  const last = value.charCodeAt(lo - 1);
  if (last >= 0xd800 && last <= 0xdbff) lo--;
  return value.slice(0, lo) + note;
}

/** A dedupKey within LIMITS.dedupKey: the parts joined with ":", hashed (sha256) when too long. */
export function dedupKey(...parts: (string | undefined)[]): string | undefined {
  if (parts.some((p) => p === undefined)) return undefined;
  const key = parts.join(':');
  if (key.length <= LIMITS.dedupKey) return key;
  return `${parts[0]}:sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export type Action = { buttonText: string; url: string; external: true };

/** An external link button, or undefined when the URL is missing, too long or not http(s). */
export function link(buttonText: string, url: unknown): Action | undefined {
  if (typeof url !== 'string' || url.length > LIMITS.url || !isHttpUrl(url) || hasUserinfo(url)) return undefined;
  return { buttonText: clip(buttonText, LIMITS.buttonText), url, external: true };
}

export type RowValue = string | number | boolean | null | undefined | object;
/** Rows as [label, value] pairs: strings become text rows, objects and arrays json rows; empty ones are left out. */
export type RowSpec = [label: string, value: RowValue];

const ROW_TEXT_BYTES = 8 * 1024;
const ROW_JSON_BYTES = 16 * 1024;
/** Room kept under LIMITS.contentBytes for the row that says the rest was cut. */
const CONTENT_BUDGET = LIMITS.contentBytes - 512;
/** Rows sit two levels below the content's top (array → row → content). */
const ROW_JSON_DEPTH = 32;

function rowOf(label: string, value: RowValue): { label: string; type: 'text' | 'json'; content: JsonValue } | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const l = clip(label, 100);
  if (typeof value !== 'object') return { label: l, type: 'text', content: clipToBytes(String(value), ROW_TEXT_BYTES) };
  if (Object.keys(value).length === 0) return undefined;
  if (nestedDeeperThan(value, ROW_JSON_DEPTH)) return { label: l, type: 'text', content: '(nested too deeply to show)' };
  const json = JSON.stringify(value);
  if (utf8Bytes(json) <= ROW_JSON_BYTES) return { label: l, type: 'json', content: value as JsonValue };
  return { label: l, type: 'text', content: clipToBytes(json, ROW_JSON_BYTES, '… (cut)') };
}

/** `type: "rows"` content whose serialized size stays within LIMITS.contentBytes. */
export function rows(specs: RowSpec[]): JsonValue[] {
  const out: JsonValue[] = [];
  let used = 2;
  for (const [label, value] of specs) {
    const row = rowOf(label, value);
    if (!row) continue;
    const size = utf8Bytes(JSON.stringify(row)) + 1;
    if (used + size > CONTENT_BUDGET) {
      out.push({ label: 'Note', type: 'text', content: 'More fields were left out: the delivery was too large.' });
      break;
    }
    out.push(row);
    used += size;
  }
  return out;
}

export interface EventSpec {
  name: string;
  avatar?: string;
  rows: RowSpec[];
  actions?: (Action | undefined)[];
  dedupKey?: string;
  resolved?: boolean;
  notify: boolean;
  urgent?: boolean;
}

/** One ingest-format event of a source, every field clipped to LIMITS. */
export function event(source: IntegrationSource, spec: EventSpec): MappedEvent {
  const name = clip(spec.name.slice(0, 4 * LIMITS.name).replace(/\s+/g, ' ').trim(), LIMITS.name) || `${SOURCE_INFO[source].label} event`;
  const out: MappedEvent = {
    name,
    avatar: spec.avatar ?? SOURCE_INFO[source].avatar,
    category: source,
    type: 'rows',
    content: rows(spec.rows),
    notify: spec.notify,
  };
  const actions = (spec.actions ?? []).filter((a): a is Action => a !== undefined).slice(0, LIMITS.actions);
  if (actions.length > 0) out.actions = actions;
  if (spec.dedupKey) out.dedupKey = spec.dedupKey;
  if (spec.resolved && spec.dedupKey) out.state = 'resolved';
  if (spec.urgent) out.urgent = true;
  return out;
}

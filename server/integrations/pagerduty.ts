/**
 * PagerDuty's Events API v2, unchanged (§13): what a tool that speaks it sends to
 * `https://events.pagerduty.com/v2/enqueue` works against this server's `/v2/enqueue` with a
 * Switchboard key as its `routing_key`. `trigger` makes (or, by `dedup_key`, updates) an event;
 * `acknowledge` and `resolve` change the unresolved event with that `dedup_key`. Answers as PagerDuty
 * does: 202 `{"status":"success","message":"Event processed","dedup_key"}`, 400 `{"status":"invalid
 * event","message":"Event object is invalid","errors":[…]}`, 429 when the key's rate limit is spent.
 */
import { randomBytes } from 'node:crypto';
import type { JsonValue } from '../../contract/ingest.ts';
import { LIMITS } from '../../contract/limits.ts';
import { isHttpUrl } from '../../contract/text.ts';
import { arr, event, isObj, link, obj, str } from './sources/common.ts';
import type { MappedEvent } from './types.ts';

export const PD_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export type PdAction = (typeof PD_ACTIONS)[number];
const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
const SEVERITY_AVATAR: Record<(typeof SEVERITIES)[number], string> = { critical: '🔴', error: '🟠', warning: '🟡', info: '🔵' };
/** PagerDuty's own limit on a summary. */
const SUMMARY_MAX = 1024;
/** How many images an event keeps (PagerDuty shows them as context). */
const IMAGES_MAX = 5;

export interface PdEvent {
  routingKey: string;
  action: PdAction;
  dedupKey: string;
  /** The event a trigger makes; for acknowledge and resolve, null. */
  event: MappedEvent | null;
}

export type PdParsed = { ok: true; value: PdEvent } | { ok: false; errors: string[] };

export const pdSuccess = (dedupKey: string) => ({ status: 'success', message: 'Event processed', dedup_key: dedupKey });
export const pdInvalid = (errors: string[]) => ({ status: 'invalid event', message: 'Event object is invalid', errors });
export const pdThrottled = () => ({ status: 'throttle event', message: 'Requests for this service are arriving too quickly.  Please retry later.' });

/** A trigger's event: the summary as its name, the payload's fields as rows, links as buttons, images as image rows. */
function triggerEvent(payload: Record<string, unknown>, body: Record<string, unknown>, dedupKey: string): MappedEvent {
  const severity = str(payload.severity) as (typeof SEVERITIES)[number];
  const summary = str(payload.summary) ?? '';
  const links = arr(body.links).map((l) => link(str(obj(l).text) ?? 'Open link', obj(l).href));
  const client = str(body.client);
  const mapped = event('pagerduty', {
    name: summary,
    avatar: SEVERITY_AVATAR[severity],
    rows: [
      ['Summary', summary.length > LIMITS.name ? summary : undefined],
      ['Severity', severity],
      ['Source', str(payload.source)],
      ['Component', str(payload.component)],
      ['Group', str(payload.group)],
      ['Class', str(payload.class)],
      ['Timestamp', str(payload.timestamp)],
      ['Client', client],
      ['Details', isObj(payload.custom_details) || typeof payload.custom_details === 'string' ? (payload.custom_details as object) : undefined],
    ],
    actions: [link(client ? `Open in ${client}` : 'Open the source', body.client_url), ...links],
    dedupKey,
    notify: true,
    urgent: severity === 'critical',
  });
  const images = arr(body.images)
    .map((i) => obj(i))
    .filter((i) => typeof i.src === 'string' && i.src.length <= LIMITS.url && isHttpUrl(i.src))
    .slice(0, IMAGES_MAX)
    .map((i): JsonValue => ({ label: str(i.alt) ?? 'Image', type: 'image', content: i.src as string }));
  return { ...mapped, content: [...(mapped.content as JsonValue[]), ...images] };
}

/** Checks an Events API v2 body as PagerDuty does; the errors are PagerDuty's kind of sentences. */
export function parsePdEvent(body: unknown): PdParsed {
  if (!isObj(body)) return { ok: false, errors: ['Event object is invalid: the body must be a JSON object'] };
  const errors: string[] = [];
  const routingKey = str(body.routing_key);
  if (!routingKey) errors.push("'routing_key' is missing or blank");
  const action = str(body.event_action) as PdAction | undefined;
  if (!action || !PD_ACTIONS.includes(action)) errors.push("'event_action' is missing or invalid (trigger, acknowledge or resolve)");
  const given = body.dedup_key === undefined || body.dedup_key === null ? undefined : str(body.dedup_key);
  if (body.dedup_key !== undefined && body.dedup_key !== null && !given) errors.push("'dedup_key' must be a non-blank string");
  if (given && given.length > LIMITS.dedupKey) errors.push(`'dedup_key' must be at most ${LIMITS.dedupKey} characters`);
  if (action && action !== 'trigger' && !given) errors.push(`'dedup_key' is required to ${action}`);
  const payload = obj(body.payload);
  if (action === 'trigger') {
    if (!isObj(body.payload)) errors.push("'payload' is missing");
    else {
      const summary = str(payload.summary);
      if (!summary?.trim()) errors.push("'payload.summary' is missing or blank");
      else if (summary.length > SUMMARY_MAX) errors.push(`'payload.summary' must be at most ${SUMMARY_MAX} characters`);
      if (!str(payload.source)?.trim()) errors.push("'payload.source' is missing or blank");
      if (!SEVERITIES.includes(str(payload.severity) as (typeof SEVERITIES)[number])) errors.push(`'payload.severity' must be one of ${SEVERITIES.join(', ')}`);
    }
  }
  if (errors.length > 0 || !routingKey || !action) return { ok: false, errors };
  // PagerDuty makes a key when a trigger has none, and answers it: later events name it.
  const dedupKey = given ?? randomBytes(16).toString('hex');
  return { ok: true, value: { routingKey, action, dedupKey, event: action === 'trigger' ? triggerEvent(payload, body, dedupKey) : null } };
}

/**
 * The fallback (CONTRACT §13): a delivery no mapper can read becomes one event holding the body as it
 * came, as JSON when it fits in the content limit, else the start of the raw text. Never throws.
 */
import { nestedDeeperThan } from '../../../contract/ingest.ts';
import { SOURCE_INFO } from '../../../contract/integrations.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { utf8Bytes } from '../../../contract/text.ts';
import type { HookDelivery, MappedEvent } from '../types.ts';
import { clipToBytes } from './common.ts';

const TEXT_BYTES = 60 * 1024;

function asJson(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || nestedDeeperThan(body, LIMITS.jsonDepth)) return undefined;
  try {
    const json = JSON.stringify(body);
    return typeof json === 'string' && utf8Bytes(json) <= LIMITS.contentBytes ? json : undefined;
  } catch {
    return undefined;
  }
}

function rawText(delivery: HookDelivery): string {
  if (typeof delivery.rawBody === 'string' && delivery.rawBody !== '') return delivery.rawBody;
  const body = delivery.body;
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  if (typeof body !== 'object') return String(body);
  if (nestedDeeperThan(body, LIMITS.jsonDepth)) return '(a body nested too deeply to show)';
  try {
    return JSON.stringify(body) ?? '';
  } catch {
    return '';
  }
}

export function unknownEvent(delivery: HookDelivery): MappedEvent {
  const info = SOURCE_INFO[delivery?.source] ?? { label: 'Integration', avatar: '📦' };
  const base: MappedEvent = { name: `${info.label} delivery`, avatar: info.avatar, category: String(delivery?.source ?? 'integration') };
  try {
    if (asJson(delivery.body) !== undefined) return { ...base, type: 'json', content: delivery.body as MappedEvent };
    const text = rawText(delivery);
    if (text.trim() === '') return { ...base, type: 'text', content: '(an empty body)' };
    const bytes = utf8Bytes(text);
    const clipped = clipToBytes(text, TEXT_BYTES, '');
    if (clipped === text) return { ...base, type: 'text', content: text };
    const note = `\n\n(cut: the delivery was ${bytes} bytes; the first ${utf8Bytes(clipped)} are shown)`;
    return { ...base, type: 'text', content: clipped + note };
  } catch {
    return base;
  }
}

export const mapUnknown = (delivery: HookDelivery): MappedEvent[] => [unknownEvent(delivery)];

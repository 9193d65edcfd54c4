/** A short view of an action's `meta` for the confirm step: a few key → value lines, each cut short. */
import type { JsonValue } from '../../../contract/ingest.ts';
import { t } from '../../i18n/i18n.ts';

const MAX_LINES = 6;
const MAX_VALUE = 60;

const short = (s: string) => (s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s);
const show = (v: JsonValue) => short(typeof v === 'string' ? v : JSON.stringify(v));

export function metaSummary(meta: JsonValue | null | undefined): [string, string][] {
  if (meta === null || meta === undefined) return [];
  if (typeof meta !== 'object' || Array.isArray(meta)) return [['meta', show(meta)]];
  const entries = Object.entries(meta);
  const lines: [string, string][] = entries.slice(0, MAX_LINES).map(([k, v]) => [short(k), show(v)]);
  if (entries.length > MAX_LINES) lines.push(['…', t('core.meta.more', { count: entries.length - MAX_LINES })]);
  return lines;
}

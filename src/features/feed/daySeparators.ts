import type { EventDto } from '../../../contract/api.ts';
import { dayKey } from '../../lib/time.ts';

export type ListRow =
  | { kind: 'day'; key: string; at: number }
  | { kind: 'event'; key: string; event: EventDto }
  /** Above it, what came since the person last looked. */
  | { kind: 'seen'; key: 'seen' };

/**
 * The feed's rows: events (newest first) with a separator before each new day, and a "new since you
 * last looked" divider between the events after `lastLooked` and the ones before it — only when both
 * are there (a first look, or nothing new, draws none).
 */
export function withDaySeparators(events: EventDto[], lastLooked: number | null = null): ListRow[] {
  const rows: ListRow[] = [];
  let currentDay: number | null = null;
  let sawNew = false;
  let divided = lastLooked === null;
  for (const event of events) {
    const at = Date.parse(event.createdAt);
    if (!divided) {
      if (at > lastLooked!) sawNew = true;
      else {
        divided = true;
        if (sawNew) rows.push({ kind: 'seen', key: 'seen' });
      }
    }
    const day = dayKey(at);
    if (day !== currentDay) {
      rows.push({ kind: 'day', key: `day-${day}`, at });
      currentDay = day;
    }
    rows.push({ kind: 'event', key: event.id, event });
  }
  return rows;
}

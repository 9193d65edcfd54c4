import type { EventDto } from '../../../contract/api.ts';
import { dayKey } from '../../lib/time.ts';

export type ListRow = { kind: 'day'; key: string; at: number } | { kind: 'event'; key: string; event: EventDto };

/** Events with a separator before each new day (they come newest first). */
export function withDaySeparators(events: EventDto[]): ListRow[] {
  const rows: ListRow[] = [];
  let currentDay: number | null = null;
  for (const event of events) {
    const at = Date.parse(event.createdAt);
    const day = dayKey(at);
    if (day !== currentDay) {
      rows.push({ kind: 'day', key: `day-${day}`, at });
      currentDay = day;
    }
    rows.push({ kind: 'event', key: event.id, event });
  }
  return rows;
}

/** One row of the feed's list: a day's heading, the "new since you last looked" line, or an event. */
import { useContext } from 'react';
import { t } from '../../i18n/i18n.ts';
import { dayLabel } from '../../lib/time.ts';
import { ProjectScope } from '../projects/current.ts';
import type { ListRow } from './daySeparators.ts';
import { DeskRow } from './deskRow.ts';
import { EventCard } from './EventCard.tsx';

export function RowView({ row, now, desk, crossProject }: { row: ListRow; now: number; desk: boolean; crossProject: boolean }) {
  const Row = useContext(DeskRow);
  if (row.kind === 'seen') {
    return (
      <h2 className="flex items-center gap-2 pt-1 text-xs font-semibold text-sky-800 dark:text-sky-300">
        <span aria-hidden="true" className="h-px flex-1 bg-sky-300 dark:bg-sky-700" />
        {t('feed.list.seen')}
        <span aria-hidden="true" className="h-px flex-1 bg-sky-300 dark:bg-sky-700" />
      </h2>
    );
  }
  if (row.kind === 'day') return <h2 className="px-1 pt-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{dayLabel(row.at, now)}</h2>;
  return (
    <ProjectScope value={crossProject ? (row.event.project ?? null) : null}>
      {/* A later event a search found keeps its thread's card around it, on the desk too. */}
      {Row && desk && !row.event.opener ? <Row event={row.event} /> : <EventCard event={row.event} />}
    </ProjectScope>
  );
}

/** The space between rows, by layout. */
export const rowGap = (desk: boolean, compact: boolean) => (desk ? 'pb-1' : compact ? 'pb-2' : 'pb-3');

/** A row's height before it is measured. */
export const estimatedHeight = (row: ListRow | undefined, desk: boolean, compact: boolean) => (row?.kind === 'event' ? (desk ? 56 : compact ? 72 : 132) : 32);

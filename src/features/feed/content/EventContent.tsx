import type { EventDto } from '../../../../contract/api.ts';
import type { Row } from '../../../../contract/ingest.ts';
import { ImageContent } from './ImageContent.tsx';
import { JsonContent } from './JsonContent.tsx';
import { TextContent } from './TextContent.tsx';

function RowValue({ row }: { row: Row }) {
  if (row.type === 'json') return <JsonContent value={row.content} />;
  if (row.type === 'image') return <ImageContent url={String(row.content)} alt={row.label ?? ''} />;
  return <TextContent text={String(row.content)} />;
}

function RowsContent({ rows }: { rows: Row[] }) {
  return (
    <dl className="grid grid-cols-[minmax(5rem,max-content)_1fr] gap-x-4 gap-y-1.5 text-sm">
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of an immutable event
        <div key={i} className="contents">
          <dt className="truncate text-slate-500 dark:text-slate-400">{row.label ?? ''}</dt>
          <dd className="min-w-0">
            <RowValue row={row} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The event's content, rendered by its type. */
export function EventContent({ event, expanded = false }: { event: Pick<EventDto, 'type' | 'content' | 'name'>; expanded?: boolean }) {
  const { type, content } = event;
  if (content === null) return null;
  switch (type) {
    case 'json':
      return <JsonContent value={content} expanded={expanded} />;
    case 'image':
      return <ImageContent url={String(content)} alt={event.name ?? ''} />;
    case 'rows':
      return Array.isArray(content) ? <RowsContent rows={content as Row[]} /> : null;
    default:
      return <TextContent text={String(content)} />;
  }
}

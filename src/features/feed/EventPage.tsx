import { useState } from 'react';
import { Alert } from '../../app/ui.tsx';
import { Link } from '../../lib/router.tsx';
import { AttemptHistory } from '../actions/AttemptHistory.tsx';
import { useEvent } from './api.ts';
import { DeleteEvent } from './DeleteEvent.tsx';
import { EventCard } from './EventCard.tsx';
import { useProjectHref } from '../projects/current.ts';

/** /events/:id — a deep link to one event with its thread; where a notification lands. */
export function EventPage({ id }: { id: string }) {
  const href = useProjectHref();
  const detail = useEvent(id);
  // `?confirm=<key>`: a notification's button, read once (the button takes it out of the URL).
  const [confirmKey] = useState(() => new URLSearchParams(location.search).get('confirm'));
  return (
    <div className="flex flex-col gap-3">
      <Link href={href('/')} className="flex min-h-11 w-fit items-center text-sm font-medium text-sky-700 hover:underline dark:text-sky-400">
        ← All events
      </Link>
      <h1 className="sr-only">Event</h1>
      {detail.isPending && <p className="text-sm text-slate-500">Loading event…</p>}
      {detail.isError && <Alert>{detail.error.message}</Alert>}
      {detail.data && <EventCard event={detail.data.event} detailed confirmKey={confirmKey} />}
      {detail.data && (
        <AttemptHistory
          attempts={detail.data.attempts}
          buttonText={(key) => detail.data.event.actions.find((a) => a.key === key)?.buttonText ?? key}
        />
      )}
      {detail.data && <DeleteEvent event={detail.data.event} />}
      {detail.data?.event.parentId && (
        <Link href={href(`/events/${encodeURIComponent(detail.data.event.parentId)}`)} className="text-sm text-sky-700 underline dark:text-sky-400">
          Open the thread this event belongs to
        </Link>
      )}
    </div>
  );
}

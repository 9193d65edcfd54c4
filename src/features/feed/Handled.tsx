/** "Handled": who took an event on, for everyone to see; any member marks it (or takes it back). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EventDto } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { useProjectRole } from '../projects/api.ts';
import { projectApi, useProjectSlug } from '../projects/current.ts';
import { replaceEvent } from './liveCache.ts';
import { RelativeTime } from './RelativeTime.tsx';

export function HandledNote({ event }: { event: EventDto }) {
  if (!event.handled) return null;
  return (
    <p className="text-xs font-medium text-emerald-800 dark:text-emerald-300">
      <span aria-hidden="true">✓ </span>Handled by {event.handled.by} · <RelativeTime iso={event.handled.at} />
    </p>
  );
}

/** Marks an event handled (or takes it back); `canMark`: members and admins may. */
export function useMarkHandled(event: Pick<EventDto, 'id'>) {
  const qc = useQueryClient();
  const slug = useProjectSlug();
  const role = useProjectRole();
  const mark = useMutation({
    mutationFn: (handled: boolean) => api<EventDto>(projectApi(slug, `events/${encodeURIComponent(event.id)}/handled`), { method: 'PUT', json: { handled } }),
    onSuccess: (updated) => replaceEvent(qc, updated),
  });
  return { mark, canMark: role === 'member' || role === 'admin' };
}

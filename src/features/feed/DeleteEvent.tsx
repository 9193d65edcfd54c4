/** An admin deletes an event (and the thread it opens) from its page, after saying so twice. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { EventDto } from '../../../contract/api.ts';
import { Alert, Button } from '../../app/ui.tsx';
import { api } from '../../lib/api.ts';
import { navigate } from '../../lib/router.tsx';
import { useProjectRole } from '../projects/api.ts';
import { projectApi, projectHref, useProjectSlug } from '../projects/current.ts';
import { removeEvent } from './liveCache.ts';

export function DeleteEvent({ event }: { event: EventDto }) {
  const qc = useQueryClient();
  const slug = useProjectSlug();
  const admin = useProjectRole() === 'admin';
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => api<void>(projectApi(slug, `events/${encodeURIComponent(event.id)}`), { method: 'DELETE' }),
    onSuccess: () => {
      removeEvent(qc, event.id);
      navigate(projectHref(slug, '/'), { replace: true });
    },
  });
  if (!admin) return null;
  const thread = event.contextStart && event.threadCount > 0 ? ` and the ${event.threadCount} event${event.threadCount === 1 ? '' : 's'} of its thread` : '';
  return (
    <div className="flex flex-col gap-2">
      {confirming ? (
        <fieldset className="flex flex-col gap-2 rounded-lg bg-red-50 p-3 ring-1 ring-red-200 dark:bg-red-950/40 dark:ring-red-900">
          <legend className="sr-only">Delete this event</legend>
          <p className="text-sm">Delete this event{thread}, with its actions and their history, for everyone? This cannot be undone.</p>
          <div className="flex gap-2">
            <Button onClick={() => setConfirming(false)} disabled={remove.isPending}>
              Cancel
            </Button>
            <Button tone="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
              {remove.isPending ? 'Deleting…' : 'Delete now'}
            </Button>
          </div>
        </fieldset>
      ) : (
        <Button tone="dangerQuiet" className="self-start" onClick={() => setConfirming(true)}>
          Delete event…
        </Button>
      )}
      {remove.error && <Alert>{remove.error.message}</Alert>}
    </div>
  );
}

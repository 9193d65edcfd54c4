/**
 * An admin deletes an event (and the thread it opens) from its page: `Delete event`, then an
 * alertdialog whose confirm button is `Delete` (focus starts on Cancel; Escape cancels).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
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
      <Button tone="dangerQuiet" className="self-start" onClick={() => setConfirming(true)}>
        Delete event
      </Button>
      {confirming && <ConfirmDelete thread={thread} pending={remove.isPending} onConfirm={() => remove.mutate()} onCancel={() => setConfirming(false)} />}
      {remove.error && <Alert>{remove.error.message}</Alert>}
    </div>
  );
}

function ConfirmDelete({ thread, pending, onConfirm, onCancel }: { thread: string; pending: boolean; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      dialog.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      aria-busy={pending}
      onCancel={(e) => {
        e.preventDefault();
        if (!pending) onCancel();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="flex flex-col gap-4 p-5">
        <h2 id={titleId} className="text-lg font-semibold">
          Delete this event?
        </h2>
        <p id={bodyId} className="text-sm text-slate-700 dark:text-slate-300">
          This event{thread}, with its actions and their history, goes for everyone. This cannot be undone.
        </p>
        <div className="flex flex-wrap justify-end gap-2">
          <Button ref={cancelRef} onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button tone="danger" onClick={onConfirm} disabled={pending} aria-label="Delete">
            {pending ? 'Deleting…' : 'Delete'}
          </Button>
        </div>
      </div>
    </dialog>
  );
}

/**
 * An admin deletes an event (and the thread it opens) from its page: `Delete event`, then an
 * alertdialog whose confirm button is `Delete` (focus starts on Cancel; Escape cancels).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { EventDto } from '../../../contract/api.ts';
import { AlertDialog } from '../../components/AlertDialog.tsx';
import { Alert, Button } from '../../components/ui.tsx';
import { api } from '../../lib/api.ts';
import { navigate } from '../../lib/router.tsx';
import { useProjectRole } from '../projects/api.ts';
import { projectApi, useProjectSlug } from '../projects/current.ts';
import { t } from '../../i18n/i18n.ts';
import { removeEvent } from './liveCache.ts';
import { useFeedLinks } from './useFeedLinks.ts';

export function DeleteEvent({ event }: { event: EventDto }) {
  const qc = useQueryClient();
  const slug = useProjectSlug();
  const links = useFeedLinks();
  const admin = useProjectRole() === 'admin';
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => api<void>(projectApi(slug, `events/${encodeURIComponent(event.id)}`), { method: 'DELETE' }),
    onSuccess: () => {
      removeEvent(qc, event.id);
      // Back to the feed it was opened from (its project's, or All projects).
      navigate(links.feed(), { replace: true });
    },
  });
  if (!admin) return null;
  const thread = event.contextStart && event.threadCount > 0 ? event.threadCount : 0;
  return (
    <div className="flex flex-col gap-2">
      <Button tone="dangerQuiet" className="self-start" onClick={() => setConfirming(true)}>
        {t('feed.delete.button')}
      </Button>
      {confirming && <ConfirmDelete thread={thread} pending={remove.isPending} onConfirm={() => remove.mutate()} onCancel={() => setConfirming(false)} />}
      {remove.error && <Alert>{remove.error.message}</Alert>}
    </div>
  );
}

function ConfirmDelete({ thread, pending, onConfirm, onCancel }: { thread: number; pending: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <AlertDialog title={t('feed.delete.title')} confirmLabel={t('feed.delete.confirm')} pendingContent={t('feed.delete.pending')} tone="danger" pending={pending} onConfirm={onConfirm} onCancel={onCancel}>
      <p>{thread > 0 ? t('feed.delete.bodyThread', { count: thread }) : t('feed.delete.body')}</p>
    </AlertDialog>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Alert } from '../../components/ui.tsx';
import { ProjectScope } from '../projects/current.ts';
import { eventKeys, getAllProjectsEvent } from './api.ts';
import { EventPage } from './EventPage.tsx';
import { t } from '../../i18n/i18n.ts';

/**
 * `/all/events/:id`: an event opened from the All projects feed. Which project it belongs to comes
 * with it (GET /api/all/events/:id, cached under the event's id like any event's page), and the page
 * is then shown in that project: its role decides the buttons, its routes mark it handled.
 */
export function AllProjectsEvent({ id, pane = false }: { id: string; pane?: boolean }) {
  const detail = useQuery({ queryKey: eventKeys.detail(id), queryFn: ({ signal }) => getAllProjectsEvent(id, signal) });
  const project = detail.data?.event.project;
  // A failed refetch later (the page shows its own error) does not take the event away.
  if (!project && detail.isError) return <Alert>{detail.error.message}</Alert>;
  if (!project) return <p className="text-sm text-slate-500">{t('feed.loadingEvent')}</p>;
  return (
    <ProjectScope value={project}>
      <EventPage id={id} pane={pane} />
    </ProjectScope>
  );
}

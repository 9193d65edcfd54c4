/** The project's first-run progress from the server (GET /api/projects/:slug/progress). */
import { useQuery } from '@tanstack/react-query';
import type { ProjectProgress } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { projectApi } from '../projects/current.ts';
import { projectKeys } from '../projects/api.ts';


const complete = (p: ProjectProgress | undefined) => p?.key && p.event && p.action && p.teammate;

/**
 * `poll` (an admin, whose steps these are): while the checklist is shown and the project's steps are
 * not all taken, ask again every 15 s (a new event, a press, an invite), and on focus.
 */
export function useProjectProgress(slug: string, poll: boolean) {
  return useQuery({
    // Under the project's keys, so whatever clears a project's queries clears it too.
    queryKey: projectKeys.progress(slug),
    queryFn: () => api<ProjectProgress>(projectApi(slug, 'progress')),
    refetchInterval: (query) => (poll && !complete(query.state.data) ? 15_000 : false),
    refetchOnWindowFocus: true,
  });
}

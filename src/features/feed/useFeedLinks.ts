import { useLocation } from '../../lib/router.tsx';
import { useProjectSlug, useScopedProject } from '../projects/current.ts';
import { allEventHref, allFeedHref, eventHref, feedHref } from './links.ts';

/**
 * Links to an event and back to its feed, where it is shown: in a project, that project's; in the
 * All projects feed (an event shown outside its project), that feed's, so a pass across projects
 * never drops the person into one of them.
 */
export function useFeedLinks() {
  const scoped = useScopedProject();
  const slug = useProjectSlug();
  const { search } = useLocation();
  return {
    event: (id: string) => (scoped !== null ? allEventHref(id, search) : eventHref(slug, id, search)),
    feed: () => (scoped !== null ? allFeedHref(search) : feedHref(slug, search)),
  };
}

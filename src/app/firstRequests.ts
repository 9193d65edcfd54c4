/**
 * The first screen's requests, sent while its texts load rather than one after another once it draws:
 * who is signed in, their projects, and — for the person last signed in on this device — the feed the
 * app will open (the one in the URL, at `/` their last-used project). Each lands in the query cache
 * under the key the screen asks for, so the screen finds it there or in flight. A feed guessed wrong
 * (another person signs in, a project left) is one request nobody reads.
 *
 * Not while a sign-out waits to be sent (the status must say nobody until it has been) or while the
 * browser says it is offline (the screen asks then, and the service worker answers from what it kept).
 */
import type { QueryClient } from '@tanstack/react-query';
import { DEFAULT_PROJECT } from '../../contract/api.ts';
import { matchAppPage } from '../../contract/appPages.ts';
import { authStatusQuery } from '../features/auth/api.ts';
import { signOutPending } from '../features/auth/session.ts';
import { feedQueryOptions, filtersFromSearch, isFiltered } from '../features/feed/api.ts';
import { projectsQuery } from '../features/projects/api.ts';
import { lastProject, lastUser } from '../features/projects/landing.ts';

export function sendFirstRequests(qc: QueryClient): void {
  try {
    if (signOutPending() || !navigator.onLine) return;
  } catch {
    return; // storage refused: the screen asks as it draws
  }
  void qc.prefetchQuery(authStatusQuery);
  const user = lastUser();
  if (user === null) return;
  void qc.prefetchQuery(projectsQuery);
  const page = matchAppPage(location.pathname);
  if (page?.kind !== 'project' || page.page !== 'feed') return;
  const project = location.pathname === '/' ? (lastProject(user) ?? DEFAULT_PROJECT) : page.project;
  const filters = filtersFromSearch(project, new URLSearchParams(location.search));
  // Only the feed the live stream resumes from (unfiltered): a filtered page fetched before the
  // stream's own first page could miss what came between.
  if (isFiltered(filters)) return;
  void qc.prefetchInfiniteQuery(feedQueryOptions(filters));
}

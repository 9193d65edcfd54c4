import { Suspense, useState } from 'react';
import { lazyRetry } from '../../lib/lazy.ts';
import { useAuthStatus } from '../auth/api.ts';
import { useCurrentProject } from '../projects/api.ts';
import { useProjectSlug } from '../projects/current.ts';
import { FoldedChecklist } from './FoldedChecklist.tsx';
import { isCompleted, storedSummary, storeFolded } from './progress.ts';
import { t } from '../../i18n/i18n.ts';

const FirstRunChecklist = lazyRetry(() => import('./FirstRunChecklist.tsx').then((m) => ({ default: m.FirstRunChecklist })));

/**
 * The checklist at the top of a phone's feed. While it is folded (the default once the project has
 * events) only its one line is drawn, from what this device remembers ("Get started · 3 of 7"): the
 * checklist itself, its progress and the push state load when the person opens it, not with the
 * first screen.
 */
export function FirstRunEntry({ hasEvents }: { hasEvents: boolean }) {
  const slug = useProjectSlug();
  const user = useAuthStatus().data?.user;
  const project = useCurrentProject();
  const [opened, setOpened] = useState(false);
  if (!project || !user || isCompleted(user.id, slug)) return null;
  // Opened on every visit anew: drawn open at a cold start, it would push the feed down once loaded.
  if (opened || !hasEvents) {
    return (
      <Suspense fallback={null}>
        <FirstRunChecklist focusOnOpen={opened} />
      </Suspense>
    );
  }
  const summary = storedSummary(user.id, slug);
  return (
    <FoldedChecklist
      label={summary ? t('feed.start.folded', summary) : t('feed.start.title')}
      onOpen={() => {
        storeFolded(slug, false);
        setOpened(true);
      }}
    />
  );
}

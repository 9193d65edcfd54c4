import { Suspense } from 'react';
import { lazyRetry } from '../../lib/lazy.ts';
import { AllProjectsEvent, EventPage } from './lazyPages.ts';
import { FeedPage } from '../feed/FeedPage.tsx';
import { DeskRow } from '../feed/deskRow.ts';
import { EventRow } from '../feed/EventRow.tsx';
import { shortcutHelp } from './shortcutHelp.ts';
import { CategorySidebar } from './CategorySidebar.tsx';
import { t } from '../../i18n/i18n.ts';

const FirstRunChecklist = lazyRetry(() => import('../onboarding/FirstRunChecklist.tsx').then((m) => ({ default: m.FirstRunChecklist })));

/** Nothing open beside the feed yet: the first-run checklist until it is done, what the pane is for, and the shortcuts. */
function EmptyPane({ checklist }: { checklist: boolean }) {
  return (
    <div className="flex flex-col gap-4">
      {checklist && (
        <Suspense fallback={null}>
          <FirstRunChecklist pane />
        </Suspense>
      )}
      <PaneHint />
    </div>
  );
}

function PaneHint() {
  return (
    <div className="flex flex-col items-start gap-2 rounded-xl border border-dashed border-slate-300 p-5 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
      <p>{t('feed.pane.hint')}</p>
      <button type="button" onClick={() => shortcutHelp.set(true)} className="min-h-11 font-medium text-sky-800 underline dark:text-sky-300">
        {t('feed.keys.open')}
      </button>
    </div>
  );
}

/**
 * From 1024 px: the live feed and the opened event side by side (from 1280 px the categories too).
 * The feed stays mounted while events open and close, so it keeps its place and stays live; the
 * event's pane scrolls on its own.
 */
export function Workspace({ eventId, project }: { eventId: string | null; project?: string }) {
  return (
    <div
      className={`grid grid-cols-[minmax(0,1fr)_minmax(0,26rem)] gap-4 ${
        // All projects has no categories of its own: no sidebar, the feed takes its room.
        project === undefined ? 'xl:grid-cols-[11rem_minmax(0,1fr)_minmax(0,28rem)]' : 'xl:grid-cols-[minmax(0,1fr)_minmax(0,28rem)]'
      }`}
    >
      {project === undefined && (
        <aside className="sticky top-20 hidden max-h-[calc(100dvh-6rem)] self-start overflow-y-auto xl:block">
          <CategorySidebar />
        </aside>
      )}
      <div className="min-w-0">
        <DeskRow.Provider value={EventRow}>
          <FeedPage project={project} />
        </DeskRow.Provider>
      </div>
      <div className="sticky top-20 max-h-[calc(100dvh-6rem)] self-start overflow-y-auto overscroll-contain pb-4">
        {eventId ? (
          <Suspense fallback={<p className="text-sm text-slate-500">{t('feed.loadingEvent')}</p>}>
            {project === undefined ? <EventPage key={eventId} id={eventId} pane /> : <AllProjectsEvent key={eventId} id={eventId} pane />}
          </Suspense>
        ) : (
          <EmptyPane checklist={project === undefined} />
        )}
      </div>
    </div>
  );
}

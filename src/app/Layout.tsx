import type { ReactNode } from 'react';
import { type LiveStatus, liveStatus } from '../features/feed/live.ts';
import { Link, useLocation } from '../lib/router.tsx';
import { useStore } from '../lib/store.ts';
import { StatusBanners } from './StatusBanners.tsx';
import { ShortcutHelpSheet } from '../features/workspace/ShortcutHelpSheet.tsx';
import { isAllProjectsPath, projectFromPath, projectHref } from '../features/projects/current.ts';
import { useAuthStatus } from '../features/auth/api.ts';
import { useProjects } from '../features/projects/api.ts';
import { landingProject, lastProject } from '../features/projects/landing.ts';
import { DEFAULT_PROJECT } from '../../contract/api.ts';
import { ProjectSwitcher } from '../features/projects/ProjectSwitcher.tsx';
import { t } from '../i18n/i18n.ts';

const STATUS: Record<LiveStatus, { label: () => string; dot: string }> = {
  connecting: { label: () => t('core.live.connecting'), dot: 'bg-slate-400' },
  live: { label: () => t('core.live.live'), dot: 'bg-emerald-500' },
  reconnecting: { label: () => t('core.live.reconnecting'), dot: 'bg-amber-500' },
};

const ICONS: Record<string, string> = {
  '/': 'M4 6h16M4 12h16M4 18h10',
  '/insights': 'M5 20V11M12 20V4M19 20v-6',
  '/activity': 'M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z',
  '/settings': 'M4 7h10M18 7h2M4 17h2M10 17h10M16 5v4M8 15v4',
};

/** The project the header's links go to: the one shown, or from All projects the one last used. */
function useNavProject(): { slug: string; rest: string } {
  const { path } = useLocation();
  const userId = useAuthStatus().data?.user?.id ?? null;
  const projects = useProjects().data ?? [];
  if (!isAllProjectsPath(path)) return projectFromPath(path);
  const home = landingProject(projects, userId === null ? null : lastProject(userId)) ?? DEFAULT_PROJECT;
  return { slug: home, rest: path };
}

type NavProject = ReturnType<typeof useNavProject>;

/**
 * A link to a page of the current project (`/`, `/insights`, `/activity`, `/settings`): in the header
 * from 640 px, and in a tab bar at the bottom of a phone's screen (where a thumb is), icon over label.
 */
function NavLink({ nav, page, tab = false, children }: { nav: NavProject; page: string; tab?: boolean; children: ReactNode }) {
  const { slug, rest } = nav;
  const current = page === '/' ? rest === '/' || rest.startsWith('/events/') : rest.startsWith(page);
  const tone = current ? 'text-slate-900 dark:text-white' : 'text-slate-600 dark:text-slate-300';
  if (tab) {
    return (
      <Link
        href={projectHref(slug, page)}
        aria-current={current ? 'page' : undefined}
        className={`flex min-h-12 flex-1 flex-col items-center justify-center gap-0.5 text-xs font-medium ${tone}`}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" className={`size-6 rounded-full px-1 ${current ? 'bg-slate-200 dark:bg-slate-800' : ''}`}>
          <path d={ICONS[page]} />
        </svg>
        {children}
      </Link>
    );
  }
  return (
    <Link
      href={projectHref(slug, page)}
      aria-current={current ? 'page' : undefined}
      className={`flex min-h-11 items-center rounded-lg px-3 text-sm font-medium ${
        current ? 'bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-white' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-900'
      }`}
    >
      {children}
    </Link>
  );
}

function MainNav({ nav, pressers, tabs }: { nav: NavProject; pressers: boolean; tabs: boolean }) {
  return (
    <>
      <NavLink nav={nav} page="/" tab={tabs}>
        {t('core.nav.events')}
      </NavLink>
      <NavLink nav={nav} page="/insights" tab={tabs}>
        {t('core.nav.insights')}
      </NavLink>
      {/* Members read the presses there (did the refund work?); admins everything. */}
      {pressers && (
        <NavLink nav={nav} page="/activity" tab={tabs}>
          {t('core.nav.activity')}
        </NavLink>
      )}
      <NavLink nav={nav} page="/settings" tab={tabs}>
        {t('core.nav.settings')}
      </NavLink>
    </>
  );
}

/** `wide`: the two-pane workspace, which takes the width of a desktop window. */
export function Layout({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  const status = STATUS[useStore(liveStatus)];
  // Read once for the header, its links and the tab bar.
  const nav = useNavProject();
  const { slug } = nav;
  // The role in the project the header's links go to (from All projects: the one last used).
  const role = useProjects().data?.find((p) => p.slug === slug)?.role;
  const pressers = role === 'admin' || role === 'member';
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:start-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {t('core.nav.skip')}
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-slate-50/90 pt-[env(safe-area-inset-top)] backdrop-blur dark:border-slate-800 dark:bg-slate-950/90">
        {/* min-h: the row keeps its height while the Project switcher loads, so the feed below never jumps. */}
        <div className="mx-auto flex min-h-14 max-w-3xl items-center gap-1.5 px-3 py-1.5 sm:gap-2 lg:max-w-[96rem]">
          {/* On a phone the Project switcher says where you are: the logo gives it the room. */}
          <Link href={projectHref(slug, '/')} className="hidden min-h-11 shrink-0 items-center gap-2 font-semibold sm:flex">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span className="sr-only md:not-sr-only">Switchboard</span>
          </Link>
          <ProjectSwitcher />
          <span className="ms-1 flex items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400" role="status">
            <span aria-hidden="true" className={`size-2 shrink-0 rounded-full ${status.dot}`} />
            <span className="sr-only sm:not-sr-only">{status.label()}</span>
          </span>
          <nav aria-label={t('core.nav.main')} className="ms-auto hidden gap-1 sm:flex">
            <MainNav nav={nav} pressers={pressers} tabs={false} />
          </nav>
        </div>
        <StatusBanners />
      </header>
      <main id="main" className={`mx-auto px-3 pb-[calc(5rem+env(safe-area-inset-bottom))] pt-2 sm:pb-8 sm:pt-3 ${wide ? 'max-w-[96rem]' : 'max-w-3xl'}`}>
        {children}
      </main>
      <nav
        aria-label={t('core.nav.main')}
        className="fixed inset-x-0 bottom-0 z-30 flex border-t border-slate-200 bg-slate-50/95 pb-[env(safe-area-inset-bottom)] backdrop-blur sm:hidden dark:border-slate-800 dark:bg-slate-950/95"
      >
        <MainNav nav={nav} pressers={pressers} tabs />
      </nav>
      <ShortcutHelpSheet />
    </>
  );
}

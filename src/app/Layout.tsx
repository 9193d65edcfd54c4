import type { ReactNode } from 'react';
import { type LiveStatus, liveStatus } from '../features/feed/live.ts';
import { Link, useLocation } from '../lib/router.tsx';
import { useStore } from '../lib/store.ts';
import { StatusBanners } from './StatusBanners.tsx';
import { useProjectRole } from '../features/projects/api.ts';
import { projectFromPath, projectHref, useProjectHref } from '../features/projects/current.ts';
import { ProjectSwitcher } from '../features/projects/ProjectSwitcher.tsx';

const STATUS: Record<LiveStatus, { label: string; dot: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-slate-400' },
  live: { label: 'Live', dot: 'bg-emerald-500' },
  reconnecting: { label: 'Reconnecting…', dot: 'bg-amber-500' },
};

/** A link to a page of the current project (`/`, `/activity`, `/settings`). */
function NavLink({ page, children }: { page: string; children: ReactNode }) {
  const { slug, rest } = projectFromPath(useLocation().path);
  const current = page === '/' ? rest === '/' || rest.startsWith('/events/') : rest.startsWith(page);
  return (
    <Link
      href={projectHref(slug, page)}
      aria-current={current ? 'page' : undefined}
      className={`flex min-h-11 items-center rounded-lg px-2 text-sm font-medium sm:px-3 ${
        current ? 'bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-white' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-900'
      }`}
    >
      {children}
    </Link>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const status = STATUS[useStore(liveStatus)];
  const admin = useProjectRole() === 'admin';
  const href = useProjectHref();
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-slate-50/90 pt-[env(safe-area-inset-top)] backdrop-blur dark:border-slate-800 dark:bg-slate-950/90">
        <div className="mx-auto flex max-w-3xl items-center gap-1.5 px-3 py-1.5 sm:gap-2">
          {/* On a phone the Project switcher says where you are: the logo gives it the room. */}
          <Link href={href('/')} className="hidden min-h-11 shrink-0 items-center gap-2 font-semibold sm:flex">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span className="sr-only md:not-sr-only">Switchboard</span>
          </Link>
          <ProjectSwitcher />
          <span className="ml-1 flex items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400" role="status">
            <span aria-hidden="true" className={`size-2 shrink-0 rounded-full ${status.dot}`} />
            <span className="sr-only sm:not-sr-only">{status.label}</span>
          </span>
          <nav aria-label="Main" className="ml-auto flex gap-1">
            <NavLink page="/">Events</NavLink>
            {admin && <NavLink page="/activity">Activity</NavLink>}
            <NavLink page="/settings">Settings</NavLink>
          </nav>
        </div>
        <StatusBanners />
      </header>
      <main id="main" className="mx-auto max-w-3xl px-3 pb-[calc(2rem+env(safe-area-inset-bottom))] pt-3">
        {children}
      </main>
    </>
  );
}

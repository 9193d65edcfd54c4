import { useId } from 'react';
import type { EventSummary } from '../../../contract/api.ts';
import { Link } from '../../lib/router.tsx';
import { useWide } from '../../lib/useMedia.ts';
import { Avatar } from './Avatar.tsx';
import { useFeedLinks } from './useFeedLinks.ts';
import { RelativeTime } from './RelativeTime.tsx';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';

/**
 * A thread's card around one of its later events that a search, a category or a user's feed found:
 * the thread's opener on top (a link to the whole thread), the event found under it.
 */
export function ThreadContext({ opener, children }: { opener: EventSummary; children: React.ReactNode }) {
  const links = useFeedLinks();
  const wide = useWide();
  const titleId = useId();
  const name = opener.name ?? t('feed.untitled');
  return (
    <article aria-labelledby={titleId} className="flex flex-col rounded-xl border border-slate-200 bg-white px-3 pt-2 shadow-sm sm:px-4 dark:border-slate-800 dark:bg-slate-900">
      <header className="group/when flex items-center gap-2 border-b border-slate-100 pb-2 dark:border-slate-800">
        <Avatar value={opener.avatar} size="sm" />
        <p className="min-w-0 flex-1 truncate text-sm text-slate-600 dark:text-slate-400">
          {rich('feed.thread.in', {
            name: (
              <Link id={titleId} href={links.event(opener.id)} scroll={!wide} className="font-semibold text-slate-900 hover:underline dark:text-slate-100">
                {name}
              </Link>
            ),
          })}
        </p>
        <RelativeTime iso={opener.createdAt} />
      </header>
      {children}
    </article>
  );
}

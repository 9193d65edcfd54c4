import { useQuery } from '@tanstack/react-query';
import type { TriageCounts } from '../../../contract/triage.ts';
import { api } from '../../lib/api.ts';
import { Link, useLocation } from '../../lib/router.tsx';
import { projectApi, useProjectSlug } from '../projects/current.ts';
import { useCategories } from '../feed/api.ts';
import { feedHref } from '../feed/links.ts';
import { t } from '../../i18n/i18n.ts';
import { intlLocale } from '../../i18n/locale.ts';
import { stateWord } from '../feed/triage/words.ts';

const item = (current: boolean) =>
  `flex min-h-11 items-center justify-between gap-2 rounded-lg px-3 text-sm ${
    current ? 'bg-slate-200 font-semibold text-slate-900 dark:bg-slate-800 dark:text-white' : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-900'
  }`;

/** 1000 means "1000 or more" (the server stops counting there). */
const counted = (n: number) => (n >= 1000 ? '999+' : number(n));
const number = (n: number) => new Intl.NumberFormat(intlLocale()).format(n);

/** What needs someone (§12): open, acknowledged, and assigned to me, each one click to filter the feed. Re-read every 15 s and on focus. */
function TriageLinks({ slug, search, test }: { slug: string; search: URLSearchParams; test: boolean }) {
  const counts = useQuery({
    queryKey: ['events', 'triage-counts', slug, test],
    queryFn: () => api<TriageCounts>(projectApi(slug, `triage-counts?test=${test ? 1 : 0}`)),
    refetchInterval: 15_000,
    staleTime: 5_000,
  }).data;
  const state = search.get('state');
  const mine = search.get('assignee') === 'me';
  const links = [
    { label: stateWord('open'), count: counts?.open, href: feedHref(slug, search, { state: state === 'open' ? null : 'open', unhandled: null }), current: state === 'open' },
    { label: stateWord('acknowledged'), count: counts?.acknowledged, href: feedHref(slug, search, { state: state === 'acknowledged' ? null : 'acknowledged', unhandled: null }), current: state === 'acknowledged' },
    { label: t('feed.assignedToMe'), count: counts?.mine, href: feedHref(slug, search, { assignee: mine ? null : 'me' }), current: mine },
  ];
  return (
    <nav aria-label={t('feed.side.needs')} className="flex flex-col gap-1">
      <h2 className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{t('feed.state')}</h2>
      {links.map((l) => (
        <Link key={l.label} href={l.href} aria-current={l.current ? 'page' : undefined} className={item(l.current)}>
          <span className="min-w-0 truncate">{l.label}</span>
          {l.count !== undefined && (
            <span className="shrink-0 text-xs tabular-nums text-slate-600 dark:text-slate-400">
              {counted(l.count)}
              <span className="sr-only"> {t('feed.side.events', { count: l.count })}</span>
            </span>
          )}
        </Link>
      ))}
    </nav>
  );
}

/** On a wide screen: what needs someone, and the project's categories with their counts, one click to filter the feed. */
export function CategorySidebar() {
  const slug = useProjectSlug();
  const { search } = useLocation();
  const test = search.get('test') === '1';
  const selected = search.get('category');
  const categories = useCategories(slug, test).data ?? [];
  return (
    <div className="flex flex-col gap-4">
    <TriageLinks slug={slug} search={search} test={test} />
    <nav aria-label={t('feed.side.categories')} className="flex flex-col gap-1">
      <h2 className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{t('feed.side.categories')}</h2>
      <Link href={feedHref(slug, search, { category: null })} aria-current={selected === null ? 'page' : undefined} className={item(selected === null)}>
        {t('feed.side.allEvents')}
      </Link>
      {categories.map((c) => (
        <Link
          key={c.category}
          href={feedHref(slug, search, { category: c.category })}
          aria-current={selected === c.category ? 'page' : undefined}
          className={item(selected === c.category)}
        >
          <span className="min-w-0 truncate">{c.category}</span>
          <span className="shrink-0 text-xs tabular-nums text-slate-600 dark:text-slate-400">
            {number(c.count)}
            <span className="sr-only"> {t('feed.side.events', { count: c.count })}</span>
          </span>
        </Link>
      ))}
      {categories.length === 0 && <p className="px-3 text-xs text-slate-500 dark:text-slate-400">{t('feed.side.noCategories')}</p>}
    </nav>
    </div>
  );
}

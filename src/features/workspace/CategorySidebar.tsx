import { Link, useLocation } from '../../lib/router.tsx';
import { useProjectSlug } from '../projects/current.ts';
import { useCategories } from '../feed/api.ts';
import { feedHref } from '../feed/links.ts';

const item = (current: boolean) =>
  `flex min-h-11 items-center justify-between gap-2 rounded-lg px-3 text-sm ${
    current ? 'bg-slate-200 font-semibold text-slate-900 dark:bg-slate-800 dark:text-white' : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-900'
  }`;

/** On a wide screen: the project's categories with their counts, one click to filter the feed. */
export function CategorySidebar() {
  const slug = useProjectSlug();
  const { search } = useLocation();
  const test = search.get('test') === '1';
  const selected = search.get('category');
  const categories = useCategories(slug, test).data ?? [];
  return (
    <nav aria-label="Categories" className="flex flex-col gap-1">
      <h2 className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Categories</h2>
      <Link href={feedHref(slug, search, { category: null })} aria-current={selected === null ? 'page' : undefined} className={item(selected === null)}>
        All events
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
            {c.count.toLocaleString()}
            <span className="sr-only"> events</span>
          </span>
        </Link>
      ))}
      {categories.length === 0 && <p className="px-3 text-xs text-slate-500 dark:text-slate-400">Events sent with a category show here.</p>}
    </nav>
  );
}

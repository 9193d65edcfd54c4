import { t } from '../i18n/i18n.ts';
import { Link } from '../lib/router.tsx';
import { useProjects } from '../features/projects/api.ts';
import { projectHref } from '../features/projects/current.ts';

/** A project this person is not in (any more): said plainly, with the ones they are in. */
export function NotAMember({ slug }: { slug: string }) {
  const projects = useProjects().data ?? [];
  return (
    <div className="flex flex-col items-center gap-3 py-10 text-center">
      <h1 className="text-lg font-semibold">{t('pages.notMember.title', { slug })}</h1>
      <p className="text-sm text-slate-700 dark:text-slate-300">{t('pages.notMember.why')}</p>
      {projects.length > 0 ? (
        <ul className="flex flex-wrap justify-center gap-2">
          {projects.map((p) => (
            <li key={p.slug}>
              <Link href={projectHref(p.slug, '/')} className="inline-flex min-h-11 items-center rounded-lg px-3 font-medium text-sky-800 underline dark:text-sky-300">
                {p.name}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('pages.notMember.none')}</p>
      )}
    </div>
  );
}


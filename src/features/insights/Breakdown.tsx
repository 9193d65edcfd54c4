/** The numbers beside the chart: presses by outcome, pushes sent and failed, and the busiest names. */
import type { InsightsDto } from '../../../contract/insights.ts';
import { projectHref } from '../../../contract/api.ts';
import { Link } from '../../lib/router.tsx';
import { useProjectSlug } from '../projects/current.ts';
import { feedHref } from '../feed/links.ts';
import { t } from '../../i18n/i18n.ts';
import { formatCount } from './palette.ts';

interface Part {
  label: string;
  value: number;
  /** Tailwind classes of its share in the bar (light and dark). */
  tone: string;
  /** Where its number leads (the presses on Activity, filtered). */
  href?: string;
}

/** A few counts as large numbers, with a bar of their shares; the numbers are the content, the bar is decoration. */
function Counts({ id, title, parts, empty }: { id: string; title: string; parts: Part[]; empty: string }) {
  const total = parts.reduce((sum, p) => sum + p.value, 0);
  return (
    <section aria-labelledby={id} className="flex flex-col gap-2">
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      <dl className="flex flex-wrap gap-x-5 gap-y-1">
        {parts.map((p) => (
          <div key={p.label} className="flex flex-col">
            <dt className="flex items-center gap-1.5 text-sm text-slate-700 dark:text-slate-300">
              <span aria-hidden="true" className={`inline-block size-3 rounded-sm ${p.tone}`} />
              {p.href ? (
                <Link href={p.href} className="underline decoration-slate-400 underline-offset-2 hover:decoration-current">
                  {p.label}
                </Link>
              ) : (
                p.label
              )}
            </dt>
            <dd className="text-2xl font-semibold tabular-nums">{formatCount(p.value)}</dd>
          </div>
        ))}
      </dl>
      {total > 0 ? (
        <div aria-hidden="true" className="flex h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
          {parts.map((p) => p.value > 0 && <div key={p.label} className={p.tone} style={{ width: `${(100 * p.value) / total}%` }} />)}
        </div>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">{empty}</p>
      )}
    </section>
  );
}

export function Presses({ dto }: { dto: InsightsDto }) {
  const { succeeded, failed, running } = dto.presses;
  const slug = useProjectSlug();
  const activity = (outcome: string) => `${projectHref(slug, '/activity')}?outcome=${outcome}`;
  return (
    <Counts
      id="insights-presses"
      title={t('pages.insights.presses.title')}
      empty={t('pages.insights.presses.empty')}
      parts={[
        { label: t('pages.outcome.succeeded'), value: succeeded, tone: 'bg-emerald-600 dark:bg-emerald-400', href: activity('succeeded') },
        { label: t('pages.outcome.failed'), value: failed, tone: 'bg-red-600 dark:bg-red-400', href: activity('failed') },
        { label: t('pages.outcome.running'), value: running, tone: 'bg-slate-500 dark:bg-slate-400' },
      ]}
    />
  );
}

export function Pushes({ dto }: { dto: InsightsDto }) {
  return (
    <Counts
      id="insights-pushes"
      title={t('pages.insights.pushes.title')}
      empty={dto.test ? t('pages.insights.pushes.emptyTest') : t('pages.insights.pushes.empty')}
      parts={[
        { label: t('pages.insights.pushes.sent'), value: dto.pushes.sent, tone: 'bg-sky-600 dark:bg-sky-400' },
        { label: t('pages.insights.pushes.failed'), value: dto.pushes.failed, tone: 'bg-red-600 dark:bg-red-400' },
      ]}
    />
  );
}

/** The busiest names as a table, each with a bar of its count against the busiest. */
export function BusiestNames({ dto }: { dto: InsightsDto }) {
  const top = dto.names[0]?.count ?? 0;
  const slug = useProjectSlug();
  const mode = new URLSearchParams(dto.test ? 'test=1' : '');
  return (
    <section aria-labelledby="insights-names" className="flex flex-col gap-2">
      <h2 id="insights-names" className="text-base font-semibold">
        {t('pages.insights.names.title')}
      </h2>
      <table className="w-full border-collapse text-start text-sm">
        <caption className="sr-only">{t('pages.insights.names.caption')}</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">{t('pages.insights.names.name')}</th>
            <th scope="col">{t('pages.insights.names.events')}</th>
          </tr>
        </thead>
        <tbody>
          {dto.names.map((n) => (
            <tr key={n.name ?? ''} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <th scope="row" className="w-full max-w-0 py-1.5 pe-3 font-normal">
                {n.name ? (
                  // The feed searched for the name: its events, one click away.
                  <Link href={feedHref(slug, mode, { q: n.name })} className="block truncate hover:underline">
                    {n.name}
                  </Link>
                ) : (
                  <em className="block text-slate-600 dark:text-slate-400">{t('pages.insights.names.none')}</em>
                )}
                <span aria-hidden="true" className="mt-1 block h-1.5 rounded-full bg-sky-600 dark:bg-sky-400" style={{ width: `${(100 * n.count) / top}%` }} />
              </th>
              <td className="py-1.5 text-end align-top font-medium tabular-nums">{formatCount(n.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * A project's insights: events per day by category over 7, 30 or 90 days, presses by outcome, pushes,
 * and the busiest names. Loaded only when opened (the chart library stays out of the first screen).
 */
import { DEFAULT_INSIGHT_RANGE, INSIGHT_RANGES, type InsightRange } from '../../../contract/insights.ts';
import { Alert, Button, Card } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';
import { setSearchParams, useLocation } from '../../lib/router.tsx';
import { useCurrentProject } from '../projects/api.ts';
import { useProjectSlug } from '../projects/current.ts';
import { useInsights } from './api.ts';
import { BusiestNames, Presses, Pushes } from './Breakdown.tsx';
import { EventsChart } from './EventsChart.tsx';

const rangeOf = (value: string | null): InsightRange => INSIGHT_RANGES.find((r) => String(r) === value) ?? DEFAULT_INSIGHT_RANGE;

function RangeSwitch({ days }: { days: InsightRange }) {
  return (
    <fieldset className="flex gap-1">
      <legend className="sr-only">{t('pages.insights.range')}</legend>
      {INSIGHT_RANGES.map((r) => (
        <Button
          key={r}
          tone={r === days ? 'primary' : 'neutral'}
          aria-pressed={r === days}
          onClick={() => setSearchParams({ days: r === DEFAULT_INSIGHT_RANGE ? null : String(r) })}
        >
          {t('pages.insights.rangeDays', { days: r })}
        </Button>
      ))}
    </fieldset>
  );
}

export default function InsightsPage() {
  const { search } = useLocation();
  const slug = useProjectSlug();
  const project = useCurrentProject();
  const days = rangeOf(search.get('days'));
  const test = search.get('test') === '1';
  const insights = useInsights(slug, days, test);
  const dto = insights.data;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">
          {test ? t('pages.insights.titleTest') : t('pages.insights.title')}
          {project ? <span className="font-normal text-slate-600 dark:text-slate-400"> · {project.name}</span> : null}
        </h1>
        <RangeSwitch days={days} />
      </div>
      {test && (
        <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/50 dark:text-amber-100 dark:ring-amber-900">
          {rich('pages.insights.testMode', { code: <code dir="ltr">"test": true</code> })}
        </p>
      )}
      {insights.isError && <Alert>{t('pages.insights.loadFailed', { error: insights.error.message })}</Alert>}
      {!dto ? (
        insights.isPending && (
          <p className="py-10 text-center text-sm text-slate-500" aria-live="polite">
            {t('pages.insights.loading')}
          </p>
        )
      ) : dto.total === 0 && dto.presses.succeeded + dto.presses.failed + dto.presses.running + dto.pushes.sent + dto.pushes.failed === 0 ? (
        <Card>
          <p className="py-6 text-center text-sm text-slate-700 dark:text-slate-300">
            {t(test ? 'pages.insights.emptyTest' : 'pages.insights.empty', { days })}
          </p>
        </Card>
      ) : (
        <div aria-busy={insights.isFetching} className="grid grid-cols-[minmax(0,1fr)] items-start gap-3 lg:grid-cols-3">
          <Card className="lg:col-span-2">
            {dto.total > 0 ? <EventsChart dto={dto} /> : <p className="text-sm text-slate-700 dark:text-slate-300">{t('pages.insights.noEvents', { days })}</p>}
          </Card>
          {dto.total > 0 && (
            <Card className="lg:row-span-2">
              <BusiestNames dto={dto} />
            </Card>
          )}
          <Card>
            <Presses dto={dto} />
          </Card>
          <Card>
            <Pushes dto={dto} />
          </Card>
        </div>
      )}
    </div>
  );
}

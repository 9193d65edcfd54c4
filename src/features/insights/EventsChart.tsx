/** Events per day, stacked by category: a uPlot bar chart, its legend, and the same numbers as a table. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { InsightsDto } from '../../../contract/insights.ts';
import { chartInk, formatCount, runningTotals, seriesColor, seriesLabel, shortDate, useDarkScheme } from './palette.ts';
import { t } from '../../i18n/i18n.ts';
import { Link } from '../../lib/router.tsx';
import { useProjectSlug } from '../projects/current.ts';
import { feedHref } from '../feed/links.ts';

const HEIGHT = 220;
const seriesKey = (s: InsightsDto['series'][number]) => `${s.kind}:${s.category ?? ''}`;

function chartOptions(dto: InsightsDto, width: number, dark: boolean): uPlot.Options {
  const ink = chartInk(dark);
  const days = dto.perDay.length;
  const axis = { stroke: ink.text, grid: { stroke: ink.grid, width: 1 }, ticks: { stroke: ink.grid, width: 1 } };
  const bars = uPlot.paths.bars!({ size: [0.8, 48], gap: 1 });
  // The tallest running total first: each later (shorter) one is drawn over it.
  const order = dto.series.map((_, i) => i).reverse();
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [-0.5, days - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(4, max * 1.1)] } },
    axes: [
      {
        ...axis,
        grid: { show: false },
        incrs: [1, 2, 7, 14, 28],
        space: 48,
        values: (_u, splits) => splits.map((x) => (Number.isInteger(x) && dto.perDay[x] ? shortDate(dto.perDay[x].date) : '')),
      },
      {
        ...axis,
        size: 48,
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000],
        // The counts as the app's language writes numbers (uPlot's own follow the browser's).
        values: (_u, splits) => splits.map((n) => formatCount(n)),
      },
    ],
    series: [
      {},
      ...order.map((i) => {
        const color = seriesColor(dto.series[i]!, i, dark);
        return { label: seriesLabel(dto.series[i]!), fill: color, stroke: color, width: 0, paths: bars, points: { show: false } };
      }),
    ],
  };
}

function chartData(dto: InsightsDto): uPlot.AlignedData {
  const totals = runningTotals(dto.perDay, dto.series.length);
  return [dto.perDay.map((_, x) => x), ...dto.series.map((_, i) => totals[dto.series.length - 1 - i]!)];
}

/** The uPlot canvas; made again when the data or the theme change, resized with its box. */
function Chart({ dto }: { dto: InsightsDto }) {
  const box = useRef<HTMLDivElement>(null);
  const dark = useDarkScheme();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot(chartOptions(dto, el.clientWidth || 320, dark), chartData(dto), el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [dto, dark]);
  // uPlot lays its canvas out left to right; days run left to right in every language.
  return <div ref={box} dir="ltr" className="w-full" style={{ minHeight: HEIGHT }} />;
}

export function EventsChart({ dto }: { dto: InsightsDto }) {
  const dark = useDarkScheme();
  const slug = useProjectSlug();
  const mode = new URLSearchParams(dto.test ? 'test=1' : '');
  const busiest = dto.perDay.reduce((best, d) => (d.counts.reduce((a, b) => a + b, 0) > best.n ? { date: d.date, n: d.counts.reduce((a, b) => a + b, 0) } : best), { date: '', n: 0 });
  const label =
    busiest.n > 0
      ? t('pages.insights.chart.summaryBusiest', { total: dto.total, days: dto.days, date: shortDate(busiest.date), busiest: busiest.n })
      : t('pages.insights.chart.summary', { total: dto.total, days: dto.days });
  return (
    <section aria-labelledby="insights-events" className="flex flex-col gap-3">
      <h2 id="insights-events" className="text-base font-semibold">
        {t('pages.insights.chart.title')}
      </h2>
      <figure className="m-0 flex flex-col gap-2">
        <div role="img" aria-label={label}>
          <Chart dto={dto} />
        </div>
        <figcaption>
          <ul aria-label={t('pages.insights.chart.categories')} className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {dto.series.map((s, i) => (
              <li key={seriesKey(s)} className="flex items-center gap-1.5">
                <span aria-hidden="true" className="inline-block size-3 rounded-sm" style={{ background: seriesColor(s, i, dark) }} />
                {s.kind === 'category' && s.category ? (
                  // A category leads to the feed filtered by it.
                  <Link href={feedHref(slug, mode, { category: s.category })} className="underline decoration-slate-400 underline-offset-2 hover:decoration-current">
                    {seriesLabel(s)}
                  </Link>
                ) : (
                  <span>{seriesLabel(s)}</span>
                )}
                <span className="text-slate-600 tabular-nums dark:text-slate-400">{formatCount(s.total)}</span>
              </li>
            ))}
          </ul>
        </figcaption>
      </figure>
      <details className="text-sm">
        <summary className="inline-flex min-h-11 cursor-pointer items-center font-medium text-sky-800 dark:text-sky-300">{t('pages.insights.chart.showTable')}</summary>
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-start tabular-nums">
            <caption className="sr-only">{t('pages.insights.chart.tableCaption')}</caption>
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-700">
                <th scope="col" className="py-1 pe-3 font-medium">{t('pages.insights.chart.day')}</th>
                {dto.series.map((s) => (
                  <th key={seriesKey(s)} scope="col" className="py-1 pe-3 font-medium">{seriesLabel(s)}</th>
                ))}
                <th scope="col" className="py-1 font-medium">{t('pages.insights.chart.all')}</th>
              </tr>
            </thead>
            <tbody>
              {[...dto.perDay].reverse().map((d) => (
                <tr key={d.date} className="border-b border-slate-100 dark:border-slate-800">
                  <th scope="row" className="whitespace-nowrap py-1 pe-3 font-normal">
                    <time dateTime={d.date}>{shortDate(d.date)}</time>
                  </th>
                  {dto.series.map((s, i) => (
                    <td key={seriesKey(s)} className="py-1 pe-3">{formatCount(d.counts[i] ?? 0)}</td>
                  ))}
                  <td className="py-1">{formatCount(d.counts.reduce((a, b) => a + b, 0))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

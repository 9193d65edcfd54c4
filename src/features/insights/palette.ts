/**
 * Colours and labels of the insights charts. Each series keeps its colour in both themes: a darker
 * shade on the light page, a lighter one on the dark page, each at 3:1 or more against its page
 * (WCAG's contrast for graphics); "other" is grey. Pure functions, apart from the theme hook.
 */
import { useMedia } from '../../lib/useMedia.ts';
import type { InsightDay, InsightSeries } from '../../../contract/insights.ts';
import { t } from '../../i18n/i18n.ts';
import { intlLocale } from '../../i18n/locale.ts';

// Eight hues far apart, neighbours unlike each other: Tailwind's sky, amber, emerald, rose, violet,
// lime, yellow (a brown) and pink — 600/700/800 on the light page, 300/400/500 on the dark one.
const LIGHT = ['#0284c7', '#d97706', '#059669', '#e11d48', '#7c3aed', '#4d7c0f', '#854d0e', '#db2777'];
const DARK = ['#38bdf8', '#fbbf24', '#34d399', '#fb7185', '#a78bfa', '#a3e635', '#ca8a04', '#f472b6'];
const OTHER = { light: '#64748b', dark: '#94a3b8' };

export function seriesColor(series: InsightSeries, index: number, dark: boolean): string {
  if (series.kind === 'other') return dark ? OTHER.dark : OTHER.light;
  return (dark ? DARK : LIGHT)[index % LIGHT.length]!;
}

export function seriesLabel(series: InsightSeries): string {
  if (series.kind === 'category') return series.category!;
  return series.kind === 'none' ? t('pages.insights.series.none') : t('pages.insights.series.other');
}

/** The axis and grid of a chart in each theme. */
export const chartInk = (dark: boolean) => ({ text: dark ? '#cbd5e1' : '#334155', grid: dark ? '#1e293b' : '#e2e8f0' });

/** `2026-12-03` → "Dec 3" in English (the day is the viewer's own: it is shown as it is, never shifted). */
export function shortDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString(intlLocale(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** A count as the app's language writes numbers ("1,204" in English). */
export const formatCount = (n: number): string => new Intl.NumberFormat(intlLocale()).format(n);

/**
 * Stacked bars, drawn as one bar per series from zero to the running total: series i's top is the
 * sum of series 0…i. The chart draws the tallest (the last running total) first, so each shorter
 * one lies over it and the bands read as a stack.
 */
export function runningTotals(perDay: InsightDay[], seriesCount: number): number[][] {
  const out = Array.from({ length: seriesCount }, () => new Array<number>(perDay.length).fill(0));
  perDay.forEach((day, x) => {
    let sum = 0;
    for (let i = 0; i < seriesCount; i++) {
      sum += day.counts[i] ?? 0;
      out[i]![x] = sum;
    }
  });
  return out;
}

/** Whether the system asks for dark colours, following changes (the chart redraws in the new ones). */
export const useDarkScheme = (): boolean => useMedia('(prefers-color-scheme: dark)');

/**
 * Insights as both stores serve them: the window a request covers (days cut at the viewer's UTC
 * offset), the rows each store's queries return, and rows → the wire format. The counts come from
 * rollup tables the database keeps itself (migration 008): events per hour and category, events per
 * UTC day and name, pushes per hour; presses from the attempts, by when they started.
 */
import { INSIGHT_TOP_CATEGORIES, type InsightRange, type InsightSeries, type InsightsDto } from '../../contract/insights.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** What one insights request asks of a store. */
export interface InsightQuery {
  projectId: number;
  test: boolean;
  /** The viewer's UTC offset in milliseconds: an hour bucket h falls on local day ⌊(h·HOUR + tzMs) / DAY⌋. */
  tzMs: number;
  /** Hour buckets (created_at / HOUR_MS), both ends included. */
  fromHour: number;
  toHour: number;
  /** UTC days (created_at / DAY_MS) of the names' counts, both ends included. */
  fromDay: number;
  toDay: number;
  /** Presses that started in [fromMs, toMs]. */
  fromMs: number;
  toMs: number;
}

/** What a store's queries return; counts may come back as strings or numbers (Number() them). */
export interface InsightRows {
  /** Events per local day (its index) and category ('' = no category), in one pass over the hour buckets. */
  perDay: { day: number; category: string; n: number }[];
  names: { name: string; n: number }[];
  /** outcome: 'succeeded', 'failed', or 'running' (not finished). */
  presses: { outcome: string; n: number }[];
  pushes: { sent: number | null; failed: number | null };
}

/** How a push message to one device ended: taken by the push service, or given up on. */
export type PushOutcome = 'sent' | 'failed';

export interface InsightWindow {
  query: InsightQuery;
  days: InsightRange;
  tz: number;
  /** The local-day index of the first day. */
  firstDay: number;
}

/**
 * The range `days` long that ends today in the viewer's time zone (today included), as of `now`.
 * Hour buckets are cut at the offset rounded to the hour: with a half-hour offset, the hour that
 * straddles midnight counts for the day it starts in.
 */
export function insightWindow(projectId: number, test: boolean, days: InsightRange, tz: number, now: number): InsightWindow {
  const tzMs = tz * 60_000;
  const today = Math.floor((now + tzMs) / DAY_MS);
  const firstDay = today - days + 1;
  const fromMs = firstDay * DAY_MS - tzMs;
  return {
    days,
    tz,
    firstDay,
    query: {
      projectId,
      test,
      tzMs,
      // The first hour whose bucket falls on the first day.
      fromHour: Math.ceil(fromMs / HOUR_MS),
      toHour: Math.floor(now / HOUR_MS),
      fromDay: Math.floor(fromMs / DAY_MS),
      toDay: Math.floor(now / DAY_MS),
      fromMs,
      toMs: now,
    },
  };
}

const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The busiest categories over the days of the window, busiest first, ties by name. */
function busiestCategories(w: InsightWindow, rows: InsightRows['perDay']): { category: string; total: number }[] {
  const totals = new Map<string, number>();
  for (const r of rows) {
    const day = Number(r.day) - w.firstDay;
    if (day >= 0 && day < w.days) totals.set(r.category, (totals.get(r.category) ?? 0) + Number(r.n));
  }
  return [...totals]
    .filter(([, total]) => total > 0)
    .map(([category, total]) => ({ category, total }))
    .sort((a, b) => b.total - a.total || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0))
    .slice(0, INSIGHT_TOP_CATEGORIES);
}

export function toInsightsDto(w: InsightWindow, rows: InsightRows, now: number): InsightsDto {
  const top = busiestCategories(w, rows.perDay);
  const series: InsightSeries[] = top.map((t) =>
    t.category === '' ? { kind: 'none', category: null, total: t.total } : { kind: 'category', category: t.category, total: t.total },
  );
  const index = new Map(top.map((t, i) => [t.category, i]));
  const otherAt = series.length;
  let other = 0;
  const perDay = Array.from({ length: w.days }, (_, i) => ({ date: isoDate(w.firstDay + i), counts: new Array<number>(otherAt + 1).fill(0) }));
  for (const r of rows.perDay) {
    const day = perDay[Number(r.day) - w.firstDay];
    if (!day) continue;
    const at = index.get(r.category) ?? otherAt;
    day.counts[at]! += Number(r.n);
    if (at === otherAt) other += Number(r.n);
  }
  if (other > 0) series.push({ kind: 'other', category: null, total: other });
  else for (const d of perDay) d.counts.length = otherAt;
  const presses = { succeeded: 0, failed: 0, running: 0 };
  for (const p of rows.presses) if (p.outcome in presses) presses[p.outcome as keyof typeof presses] += Number(p.n);
  // Pushes are never sent for test events: a test-mode view has none, whatever the project sent.
  const pushes = w.query.test ? { sent: 0, failed: 0 } : { sent: Number(rows.pushes.sent ?? 0), failed: Number(rows.pushes.failed ?? 0) };
  return {
    days: w.days,
    test: w.query.test,
    tz: w.tz,
    from: new Date(w.query.fromMs).toISOString(),
    serverTime: new Date(now).toISOString(),
    total: perDay.reduce((sum, d) => sum + d.counts.reduce((a, b) => a + b, 0), 0),
    series,
    perDay,
    presses,
    pushes,
    names: rows.names.map((r) => ({ name: r.name === '' ? null : r.name, count: Number(r.n) })),
  };
}

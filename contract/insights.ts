/**
 * The insights page's wire format (GET /api/projects/:slug/insights), shared by server and PWA:
 * events per day stacked by category, presses by outcome, pushes sent and failed, the busiest names.
 */

/** The ranges the page offers, in days (today included). */
export const INSIGHT_RANGES = [7, 30, 90] as const;
export type InsightRange = (typeof INSIGHT_RANGES)[number];
export const DEFAULT_INSIGHT_RANGE: InsightRange = 30;
/** Categories drawn on their own; the rest add up to one "other" series. */
export const INSIGHT_TOP_CATEGORIES = 8;
/** Names listed as the busiest. */
export const INSIGHT_TOP_NAMES = 10;
/** The viewer's UTC offset in minutes (east positive, as `-new Date().getTimezoneOffset()`): UTC−12 to UTC+14. */
export const INSIGHT_TZ = { min: -720, max: 840 } as const;

/**
 * One stacked series of the events chart: a category among the busiest, the events without a
 * category, or every other category together.
 */
export interface InsightSeries {
  kind: 'category' | 'none' | 'other';
  /** The category's name (`kind: 'category'`); null otherwise. */
  category: string | null;
  /** Its events over the whole range. */
  total: number;
}

export interface InsightDay {
  /** The viewer's calendar day, `YYYY-MM-DD`. */
  date: string;
  /** One count per series, in the order of `series`. */
  counts: number[];
}

export interface InsightsDto {
  days: InsightRange;
  test: boolean;
  /** The UTC offset (minutes) the days were cut at. */
  tz: number;
  /** The first day's start (the viewer's midnight), ISO. */
  from: string;
  serverTime: string;
  /** Every event of the range. */
  total: number;
  /** Busiest first; "other" (if any) last. */
  series: InsightSeries[];
  /** Oldest first, one per day of the range (days without events included). */
  perDay: InsightDay[];
  /** Presses of this project's actions that started in the range: how they ended, or still running. */
  presses: { succeeded: number; failed: number; running: number };
  /** Push messages to devices: taken by the push service, or given up on (never pushed in test mode). */
  pushes: { sent: number; failed: number };
  /** The busiest event names, busiest first (null: events without a name). */
  names: { name: string | null; count: number }[];
}

/** Where a project's insights are asked for. */
export const insightsQuery = (days: InsightRange, test: boolean, tz: number) => `insights?days=${days}&test=${test ? 1 : 0}&tz=${tz}`;

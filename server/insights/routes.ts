/** The insights page's one read: counts over 7, 30 or 90 days, served from rollups the database keeps. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEFAULT_INSIGHT_RANGE, INSIGHT_RANGES, INSIGHT_TZ, type InsightRange, type InsightsDto } from '../../contract/insights.ts';
import { doc, projectOf, VIEWER } from '../http/access.ts';
import { parseOr400 } from '../http/parse.ts';
import { projectPaths } from '../http/projectPaths.ts';
import type { AppStore } from '../store/types.ts';
import { insightWindow, toInsightsDto } from '../store/insightRows.ts';
import { isTest, modeParam } from '../feed/read.ts';

const RANGES = INSIGHT_RANGES.map(String) as [string, ...string[]];
export const insightsQuery = z.object({
  days: z.enum(RANGES, { error: `must be one of ${INSIGHT_RANGES.join(', ')}` }).default(String(DEFAULT_INSIGHT_RANGE)),
  test: modeParam,
  tz: z.coerce
    .number({ error: 'must be a number of minutes' })
    .int({ error: 'must be a whole number of minutes' })
    .min(INSIGHT_TZ.min, { error: `must be from ${INSIGHT_TZ.min} to ${INSIGHT_TZ.max} minutes` })
    .max(INSIGHT_TZ.max, { error: `must be from ${INSIGHT_TZ.min} to ${INSIGHT_TZ.max} minutes` })
    .default(0),
});

export async function insightRoutes(app: FastifyInstance, { store, now }: { store: AppStore; now: () => number }) {
  const insights = doc(VIEWER, { tag: 'Feed', summary: 'Counts per day, presses, pushes, busiest names', query: insightsQuery });
  for (const url of projectPaths('insights')) {
    app.get(url, insights, async (request): Promise<InsightsDto> => {
      const q = parseOr400(insightsQuery, request.query);
      const at = now();
      const window = insightWindow(projectOf(request).id, isTest(q.test), Number(q.days) as InsightRange, q.tz, at);
      return toInsightsDto(window, await store.insights.read(window.query), at);
    });
  }
}

/** The insights request and its query: one per project, range and mode, cut at this device's UTC offset. */
import { useQuery } from '@tanstack/react-query';
import { type InsightRange, type InsightsDto, insightsQuery } from '../../../contract/insights.ts';
import { api } from '../../lib/api.ts';
import { projectApi } from '../projects/current.ts';

/** This device's UTC offset in minutes, east positive (what the server cuts days at). */
export const localOffset = () => -new Date().getTimezoneOffset();

export const insightKeys = {
  all: ['insights'] as const,
  of: (project: string, days: InsightRange, test: boolean, tz: number) => [...insightKeys.all, project, days, test, tz] as const,
};

export function useInsights(project: string, days: InsightRange, test: boolean) {
  const tz = localOffset();
  return useQuery({
    queryKey: insightKeys.of(project, days, test, tz),
    queryFn: ({ signal }) => api<InsightsDto>(projectApi(project, insightsQuery(days, test, tz)), { signal }),
    staleTime: 60_000,
    // The range switch keeps the last chart on screen until the next one has arrived.
    placeholderData: (previous) => previous,
  });
}

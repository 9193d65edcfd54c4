/** The filter controls shown in the bar (from 640 px) and in the phone's Filters sheet. */
import { useId } from 'react';
import { setSearchParams } from '../../lib/router.tsx';
import type { FeedFilters as Filters } from './api.ts';
import { useCategories } from './api.ts';
import { ALL_PROJECTS } from '../projects/current.ts';
import { t } from '../../i18n/i18n.ts';
import { stateWord } from './triage/words.ts';

function Switch({ label, on, tone, onToggle }: { label: string; on: boolean; tone: 'amber' | 'sky'; onToggle: () => void }) {
  const track = on ? (tone === 'amber' ? 'bg-amber-500' : 'bg-sky-700 dark:bg-sky-400') : 'bg-slate-300 dark:bg-slate-600';
  const marked = on && tone === 'amber';
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      onClick={onToggle}
      className={`flex min-h-11 items-center gap-2 rounded-lg px-3 text-sm font-medium ring-1 ${
        marked
          ? 'bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-900/50 dark:text-amber-100 dark:ring-amber-700'
          : 'bg-white text-slate-700 ring-slate-300 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700'
      }`}
    >
      <span aria-hidden="true" className={`relative h-5 w-9 shrink-0 rounded-full transition-colors ${track}`}>
        <span className={`absolute top-0.5 size-4 rounded-full bg-white transition-all ${on ? 'start-4.5' : 'start-0.5'}`} />
      </span>
      {label}
    </button>
  );
}

export function CategorySelect({ filters, visibleLabel = false }: { filters: Filters; visibleLabel?: boolean }) {
  // Across projects, categories are each project's own: the filter is the project's feed.
  const categories = useCategories(filters.project, filters.test, filters.project !== ALL_PROJECTS);
  const id = useId();
  if (filters.project === ALL_PROJECTS) return null;
  const options = categories.data ?? [];
  const selectedMissing = filters.category !== null && !options.some((c) => c.category === filters.category);
  return (
    <div className="flex min-w-[9rem] flex-col gap-1">
      <label htmlFor={id} className={visibleLabel ? 'text-sm font-medium' : 'sr-only'}>
        {t('feed.category')}
      </label>
      <select
        id={id}
        value={filters.category ?? ''}
        onChange={(e) => setSearchParams({ category: e.target.value })}
        className="min-h-11 w-full rounded-lg border border-slate-300 bg-white px-2 text-sm sm:max-w-48 dark:border-slate-700 dark:bg-slate-900"
      >
        <option value="">{t('feed.filter.allCategories')}</option>
        {selectedMissing && <option value={filters.category!}>{filters.category}</option>}
        {options.map((c) => (
          <option key={c.category} value={c.category}>
            {c.category} ({c.count})
          </option>
        ))}
      </select>
    </div>
  );
}

export const TestSwitch = ({ filters }: { filters: Filters }) => (
  <Switch label={t('feed.filter.testMode')} tone="amber" on={filters.test} onToggle={() => setSearchParams({ test: filters.test ? null : '1' })} />
);
/** Only the events assigned to the signed-in person (`?assignee=me`). */
export const MineSwitch = ({ filters }: { filters: Filters }) => (
  <Switch label={t('feed.assignedToMe')} tone="sky" on={filters.assignee === 'me'} onToggle={() => setSearchParams({ assignee: filters.assignee === 'me' ? null : 'me' })} />
);

/** The State select's choices: `unresolved` is the older "Hide handled" (`?unhandled=1`: open and acknowledged). */
export const STATE_CHOICES = [
  { value: '', label: () => t('feed.filter.all') },
  { value: 'unresolved', label: () => t('feed.notResolved') },
  { value: 'open', label: () => stateWord('open') },
  { value: 'acknowledged', label: () => stateWord('acknowledged') },
  { value: 'resolved', label: () => stateWord('resolved') },
] as const;

export const stateChoice = (filters: Filters): string => filters.state ?? (filters.unhandled ? 'unresolved' : '');

/** State (§12): all events, the ones not resolved yet, or one state (`?state=`). */
export function StateSelect({ filters, visibleLabel = false }: { filters: Filters; visibleLabel?: boolean }) {
  const id = useId();
  return (
    <div className="flex min-w-[8rem] flex-col gap-1">
      <label htmlFor={id} className={visibleLabel ? 'text-sm font-medium' : 'sr-only'}>
        {t('feed.state')}
      </label>
      <select
        id={id}
        value={stateChoice(filters)}
        onChange={(e) => {
          const v = e.target.value;
          setSearchParams(v === 'unresolved' ? { state: null, unhandled: '1' } : { state: v || null, unhandled: null });
        }}
        className="min-h-11 w-full rounded-lg border border-slate-300 bg-white px-2 text-sm sm:max-w-44 dark:border-slate-700 dark:bg-slate-900"
      >
        {STATE_CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.value === '' ? t('feed.filter.allStates') : c.label()}
          </option>
        ))}
      </select>
    </div>
  );
}


/** The filters in the feed's bar, from 640 px (the category select only until the sidebar shows it, from 1280 px). */
export function InlineFilters({ filters }: { filters: Filters }) {
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="xl:hidden">
        <CategorySelect filters={filters} />
      </div>
      <MineSwitch filters={filters} />
      <StateSelect filters={filters} />
      <TestSwitch filters={filters} />
    </div>
  );
}

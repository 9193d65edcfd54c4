import { Sheet } from '../../components/Sheet.tsx';
import type { FeedFilters as Filters } from './api.ts';
import { CategorySelect, MineSwitch, StateSelect, TestSwitch } from './FilterControls.tsx';
import { t } from '../../i18n/i18n.ts';

/** On a phone: category, state, "Assigned to me" and test mode in a sheet, so the feed starts near the top. */
export function FilterSheet({ filters, onClose }: { filters: Filters; onClose: () => void }) {
  return (
    <Sheet title={t('feed.filter.filters')} onClose={onClose}>
      <CategorySelect filters={filters} visibleLabel />
      <StateSelect filters={filters} visibleLabel />
      <div className="flex flex-col items-stretch gap-2">
        <MineSwitch filters={filters} />
        <TestSwitch filters={filters} />
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-400">{t('feed.filter.testHint')}</p>
    </Sheet>
  );
}

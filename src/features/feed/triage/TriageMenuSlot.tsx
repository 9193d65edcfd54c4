import { Suspense, useState } from 'react';
import type { EventDto } from '../../../../contract/api.ts';
import { MenuTrigger, type MenuSize, menuKeyOpens } from '../../../components/MenuTrigger.tsx';
import { lazyRetry } from '../../../lib/lazy.ts';
import { t } from '../../../i18n/i18n.ts';

/** The menu and what its items do load with the first opening (precached by the service worker, so offline too). */
const TriageMenu = lazyRetry(() => import('./TriageMenu.tsx').then((m) => ({ default: m.TriageMenu })));

/**
 * An event card's "More" menu (§12) as the feed first draws it: its button only. Pressed (or opened
 * with ArrowDown/ArrowUp), the menu loads and opens where the keys asked; from then on it is the menu.
 */
export function TriageMenuSlot({ event, titleId, size }: { event: EventDto; titleId?: string; size: MenuSize }) {
  const [openAt, setOpenAt] = useState<'first' | 'last' | null>(null);
  const trigger = (focusOnMount: boolean) => (
    <MenuTrigger
      focusOnMount={focusOnMount}
      label={t('feed.triage.more')}
      describedBy={titleId}
      size={size}
      expanded={false}
      onClick={() => setOpenAt('first')}
      onKeyDown={(e) => {
        const at = menuKeyOpens(e.key);
        if (at) {
          e.preventDefault();
          setOpenAt(at);
        }
      }}
    />
  );
  if (openAt === null) return <div className="relative">{trigger(false)}</div>;
  return (
    // While the menu loads, the same button (a new element: it takes the focus the pressed one had).
    <Suspense fallback={<div className="relative">{trigger(true)}</div>}>
      <TriageMenu event={event} titleId={titleId} size={size} openAt={openAt} />
    </Suspense>
  );
}

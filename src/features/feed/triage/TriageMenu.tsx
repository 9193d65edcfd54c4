/**
 * An event's "More" menu on its card and desk row (§12): Acknowledge, Resolve, Reopen as its state
 * allows, Assign and Snooze (small pickers), End snooze. Members and admins only: a viewer has none.
 */
import { Suspense, useState } from 'react';
import type { EventDto } from '../../../../contract/api.ts';
import { MenuButton, type MenuItem } from '../../../components/MenuButton.tsx';
import { lazyRetry } from '../../../lib/lazy.ts';
import { useNow } from '../../../lib/useNow.ts';
import { type TriageChange, useTriage } from './api.ts';
import { useMayTriage } from './may.ts';
import { snoozed } from './words.ts';
import { offeredChanges } from './changeWords.ts';
import { sentence } from '../../../lib/words.ts';
import { t } from '../../../i18n/i18n.ts';

const AssignSheet = lazyRetry(() => import('./Pickers.tsx').then((m) => ({ default: m.AssignSheet })));
const SnoozeSheet = lazyRetry(() => import('./Pickers.tsx').then((m) => ({ default: m.SnoozeSheet })));

export type Picker = 'assign' | 'snooze' | null;

/** The assign or snooze picker that is open, loaded with its first opening. */
export function OpenPicker({ picker, event, onClose }: { picker: Picker; event: EventDto; onClose: () => void }) {
  if (picker === null) return null;
  return <Suspense fallback={null}>{picker === 'assign' ? <AssignSheet event={event} onClose={onClose} /> : <SnoozeSheet event={event} onClose={onClose} />}</Suspense>;
}

/** The menu's items for an event in its state (the same on the card, the row and, as buttons, its page). */
export function triageItems(event: EventDto, now: number, change: (c: TriageChange) => void, pick: (p: Exclude<Picker, null>) => void): MenuItem[] {
  const offered = offeredChanges(event.state);
  const items: MenuItem[] = [];
  if (offered.ack) items.push({ label: t('feed.triage.ack'), onSelect: () => change({ kind: 'ack' }) });
  if (offered.resolve) items.push({ label: t('feed.triage.resolve'), onSelect: () => change({ kind: 'resolve' }) });
  if (offered.reopen) items.push({ label: t('feed.triage.reopen'), onSelect: () => change({ kind: 'reopen' }) });
  items.push({ label: t('feed.triage.assign'), onSelect: () => pick('assign') });
  if (event.state !== 'resolved') items.push({ label: t('feed.triage.snooze'), onSelect: () => pick('snooze') });
  if (snoozed(event, now)) items.push({ label: t('feed.triage.endSnooze'), onSelect: () => change({ kind: 'unsnooze' }) });
  return items;
}

/**
 * `titleId`: the event's title, which describes the button (named "More": a name with the title in it
 * would share words with the card's own buttons).
 */
export function TriageMenu({ event, titleId, size = 'md', openAt }: { event: EventDto; titleId?: string; size?: 'md' | 'sm'; openAt?: 'first' | 'last' }) {
  const may = useMayTriage();
  const triage = useTriage(event.id);
  const now = useNow();
  const [picker, setPicker] = useState<Picker>(null);
  // A thread's later event is changed through its first event (the thread's card).
  if (!may || event.parentId !== null) return null;
  const change = (c: TriageChange) => {
    triage.reset();
    triage.mutate(c);
  };
  return (
    <>
      {triage.error && (
        <span role="alert" title={sentence(triage.error.message)} className="min-w-0 max-w-[16rem] shrink truncate text-xs text-red-800 dark:text-red-300">
          {sentence(triage.error.message)}
        </span>
      )}
      <MenuButton label={t('feed.triage.more')} describedBy={titleId} items={triageItems(event, now, change, setPicker)} size={size} floating openAt={openAt} />
      <OpenPicker picker={picker} event={event} onClose={() => setPicker(null)} />
    </>
  );
}

import { useId } from 'react';
import type { EventDto } from '../../../contract/api.ts';
import { notChosen } from '../../../contract/decisions.ts';
import { sharedExpiry } from './actionPhase.ts';
import { formatRemaining } from './countdown.ts';
import { ExternalActionLink } from './ExternalActionLink.tsx';
import { useRemaining } from './useCountdown.ts';
import { WebhookActionButton } from './WebhookActionButton.tsx';
import { t } from '../../i18n/i18n.ts';
import { messagePieces } from '../../lib/words.ts';

/** One countdown for actions that all expire together; it stops at zero. */
function SharedCountdown({ id, expiresAt, brief }: { id: string; expiresAt: string; brief: boolean }) {
  const remaining = useRemaining(expiresAt);
  if (remaining <= 0) return null;
  const time = formatRemaining(remaining);
  if (brief) {
    // Only the time shows; the words around it are read out.
    return (
      <p id={id} className="text-xs tabular-nums text-slate-600 dark:text-slate-300">
        <span aria-hidden="true">⏱ </span>
        {messagePieces('core.actions.expireIn', {}, ['time']).map((p) =>
          typeof p === 'string' ? (
            <span key={p} className="sr-only">
              {p}
            </span>
          ) : (
            time
          ),
        )}
      </p>
    );
  }
  return (
    <p id={id} className="text-xs text-slate-600 dark:text-slate-300">
      {t('core.actions.expireIn', { time })}
    </p>
  );
}

/** The event's actions: webhook and reply buttons (confirm first) and external links; in a row when compact. */
export function ActionBar({
  event,
  compact = false,
  row = false,
  confirmKey = null,
}: {
  event: EventDto;
  compact?: boolean;
  /** In a desk row: everything on the row's line, without the bar's rule. */
  row?: boolean;
  confirmKey?: string | null;
}) {
  const countdownId = useId();
  if (event.actions.length === 0) return null;
  const links = event.actions.filter((a) => a.external);
  const hooks = event.actions.filter((a) => !a.external);
  const shared = sharedExpiry(event.actions);
  // A reply another answer beat can no more run than one that is done (§11).
  const live = hooks.some((a) => !(a.state === 'succeeded' && !a.repeat) && !notChosen(event, a));
  return (
    <fieldset
      aria-label={t('core.actions.label')}
      // Not compact: one grid for every action, so each button has its countdown or outcome beside it, aligned.
      className={
        row
          ? 'flex min-w-0 flex-wrap items-center justify-end gap-x-3 gap-y-1'
          : `min-w-0 border-t border-slate-100 dark:border-slate-800 ${
              compact ? 'flex flex-row flex-wrap items-center gap-x-4 gap-y-1 pt-1.5' : 'grid grid-cols-[fit-content(calc(100%_-_4.5rem))_minmax(0,1fr)] items-center gap-x-3 gap-y-2 pt-3'
            }`
      }
    >
      {shared && live && (
        <div className={compact || row ? '' : 'col-span-2'}>
          <SharedCountdown id={countdownId} expiresAt={shared} brief={row} />
        </div>
      )}
      {hooks.map((a) => (
        <WebhookActionButton
          key={a.key}
          event={event}
          action={a}
          sharedCountdownId={shared && live ? countdownId : undefined}
          openConfirm={confirmKey === a.key}
          inGrid={!compact && !row}
          inRow={row}
        />
      ))}
      {links.length > 0 && (
        <div className={`flex flex-wrap gap-2 ${compact || row ? '' : 'col-span-2'}`}>
          {links.map((a) => (
            <ExternalActionLink key={a.key} action={a} />
          ))}
        </div>
      )}
    </fieldset>
  );
}

import type { ActionDto } from '../../../contract/api.ts';
import { relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import type { ActionPhase } from './actionPhase.ts';
import { describeReason } from './reasons.ts';
import { t } from '../../i18n/i18n.ts';

/**
 * What happened to the action, as text beside its button: Done (a reply: Answered), Failed (and why),
 * Expired, Running, Not chosen (a reply another answer beat, §11).
 * `brief` (a desk row): the word shows, the rest (who, when, why) is read out but not shown.
 * `answeredBy`: who answered the event's question (their name, else email), for the chosen reply.
 */
export function ActionOutcome({ action, phase, brief = false, answeredBy }: { action: ActionDto; phase: ActionPhase; brief?: boolean; answeredBy?: string }) {
  const rest = brief ? 'sr-only' : 'font-normal';
  const now = useNow();
  const last = action.lastAttempt;
  const when = last ? relativeTime(Date.parse(last.finishedAt ?? last.startedAt), now) : '';
  if (phase === 'running') {
    return (
      <span className="font-medium text-slate-700 dark:text-slate-200">
        {action.reply ? (
          <>
            {t('core.outcome.recording')}
            <span className={rest}> {t('core.outcome.recordingDetail')}</span>
          </>
        ) : (
          <>
            {t('core.outcome.running')}
            <span className={rest}> {t('core.outcome.runningDetail')}</span>
          </>
        )}
      </span>
    );
  }
  // Shown in a row too: it is why the button is flat (no icon on it says so).
  if (phase === 'not_chosen') {
    return <span className="font-medium text-slate-700 dark:text-slate-200">{t('core.outcome.notChosen')}</span>;
  }
  if (last?.outcome === 'succeeded') {
    return (
      // In a row the button's own ✓ says it: the words are read out, not shown (the row keeps one line).
      <span className={brief ? 'sr-only' : 'font-medium text-emerald-800 dark:text-emerald-300'}>
        <span aria-hidden="true">✓ </span>
        {action.reply ? t('core.outcome.answered') : t('core.outcome.done')}{' '}
        <span className={`${rest} text-slate-600 dark:text-slate-300`}>{t('core.outcome.by', { who: (action.reply && answeredBy) || last.pressedBy, when })}</span>
      </span>
    );
  }
  if (phase === 'expired') return <span className="font-medium text-slate-700 dark:text-slate-200">{t('core.outcome.expired')}</span>;
  if (last?.outcome === 'failed') {
    return (
      <span className="font-medium text-red-800 dark:text-red-300">
        {t('core.outcome.failed')}{' '}
        <span className={rest}>{t(phase === 'failed' ? 'core.outcome.failedRetry' : 'core.outcome.failedDetail', { reason: describeReason(last.reason), when })}</span>
      </span>
    );
  }
  return null;
}

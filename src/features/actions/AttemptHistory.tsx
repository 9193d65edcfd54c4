import type { ActionDto, AttemptDto } from '../../../contract/api.ts';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { asCaption } from '../decisions/words.ts';
import { describeReason } from './reasons.ts';
import { t } from '../../i18n/i18n.ts';
import { intlLocale } from '../../i18n/locale.ts';
import { rich } from '../../i18n/rich.tsx';

/** What an attempt's outcome reads: a reply (§11) is answered, or not recorded when another answer came first. */
function outcomeWords(a: AttemptDto, reply: boolean): string {
  if (a.outcome === 'succeeded') return reply ? t('core.outcome.answered') : t('core.outcome.done');
  if (a.outcome === 'failed') return t(reply ? 'core.attempt.notRecorded' : 'core.attempt.failed', { reason: describeReason(a.reason) });
  return t('core.outcome.running');
}

/** How long a press took: "120 ms" in the language's units. */
const duration = (ms: number) => new Intl.NumberFormat(intlLocale(), { style: 'unit', unit: 'millisecond', unitDisplay: 'short' }).format(ms);

/** Every press of the event's actions: who, when, how long, what was typed, and what the receiver answered. */
export function AttemptHistory({ attempts, actions }: { attempts: AttemptDto[]; actions: readonly ActionDto[] }) {
  const now = useNow();
  if (attempts.length === 0) return null;
  const actionOf = (key: string) => actions.find((a) => a.key === key);
  return (
    <section aria-labelledby="history-title" className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="history-title" className="mb-2 text-base font-semibold">
        {t('core.attempt.history')}
      </h2>
      <ol className="divide-y divide-slate-100 dark:divide-slate-800">
        {[...attempts].reverse().map((a) => {
          const action = actionOf(a.actionKey);
          const reply = action?.reply === true;
          return (
            <li key={a.id} className="flex flex-col gap-1 py-2 text-sm">
              <div className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-medium">
                  {action?.buttonText ?? a.actionKey} #{a.number}
                </span>
                <span
                  className={
                    a.outcome === 'succeeded'
                      ? 'text-emerald-700 dark:text-emerald-400'
                      : a.outcome === 'failed'
                        ? 'text-red-700 dark:text-red-400'
                        : 'text-slate-500'
                  }
                >
                  {outcomeWords(a, reply)}
                </span>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {rich(
                    'core.attempt.by',
                    { when: <span title={absoluteTime(Date.parse(a.startedAt))}>{relativeTime(Date.parse(a.startedAt), now)}</span> },
                    { who: a.pressedBy },
                  )}
                  {a.durationMs !== null && ` · ${duration(a.durationMs)}`}
                  {a.status !== null && ` · HTTP ${a.status}`}
                </span>
              </div>
              {a.input && (
                // What the presser typed in the confirm step: plain text, its lines kept.
                <p className="whitespace-pre-wrap break-words text-slate-800 dark:text-slate-200">
                  <span className="text-xs text-slate-600 dark:text-slate-400">{asCaption(action?.input?.label ?? t('core.attempt.typed'))} </span>
                  {a.input}
                </p>
              )}
              {a.response && (
                <details className="text-xs">
                  <summary className="min-h-11 cursor-pointer content-center text-slate-500">{t('core.attempt.response')}</summary>
                  <pre dir="ltr" className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono dark:bg-slate-950">{a.response}</pre>
                </details>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

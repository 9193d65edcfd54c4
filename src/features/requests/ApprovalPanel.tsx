/**
 * On the event's page, each press that waits for approval: who asked and when, its risk, until when
 * it may be approved, who approved so far, and — for the people who may approve it (who may press the
 * action, not the one who asked) — `Approve` and `Deny`. An approver meets the same step-up rule as a
 * presser ("Confirm it's you", then the approval goes ahead). A push's `?approve=<id>` lands here: the
 * request it names is brought into view and focused.
 */
import { LazyStepUpDialog } from '../policy/LazyStepUpDialog.tsx';
import { Suspense, useEffect, useId, useRef, useState } from 'react';
import type { ActionDto, EventDto } from '../../../contract/api.ts';
import { AlertDialog } from '../../components/AlertDialog.tsx';
import { Button } from '../../components/ui.tsx';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { pressErrorSentence, pressRefusal } from '../actions/actionPhase.ts';
import { useAuthStatus } from '../auth/api.ts';
import { isStepUpRequired } from '../policy/api.ts';
import { RISK_SAID } from '../policy/risk.ts';
import { t } from '../../i18n/i18n.ts';
import { listOf } from '../../lib/words.ts';
import { useProjectRole } from '../projects/api.ts';
import { useProjectSlug } from '../projects/current.ts';
import { useDecision } from './api.ts';
import { stillNeeded } from './words.ts';
import { REASON_MAX } from '../../../contract/requests.ts';


function ApprovalRequest({ event, action, focused }: { event: EventDto; action: ActionDto; focused: boolean }) {
  const request = action.request!;
  const now = useNow();
  const slug = useProjectSlug();
  const me = useAuthStatus().data?.user?.id ?? null;
  const role = useProjectRole();
  const decide = useDecision(event.id, action.key, request.id);
  const [dialog, setDialog] = useState<'deny' | 'step-up' | null>(null);
  const [reason, setReason] = useState('');
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!focused) return;
    headingRef.current?.scrollIntoView({ block: 'center' });
    headingRef.current?.focus({ preventScroll: true });
  }, [focused]);
  const own = me !== null && me === request.requestedBy.id;
  const mayAnswer = role !== undefined && pressRefusal(role, action) === null && !own;
  const approve = (again = false) =>
    decide.mutate({ kind: 'approve' }, { onError: (error) => isStepUpRequired(error) && !again && setDialog('step-up') });
  return (
    <section
      aria-labelledby={headingId}
      className={`flex flex-col gap-2 rounded-xl border px-4 py-3 ${focused ? 'border-amber-500 ring-2 ring-amber-400' : 'border-amber-300 dark:border-amber-700'} bg-amber-50 dark:bg-amber-950/60`}
    >
      <h3 id={headingId} ref={headingRef} tabIndex={-1} className="text-base font-semibold text-slate-900 outline-none dark:text-white">
        {t('core.approval.title', { button: action.buttonText })}
      </h3>
      <p className="text-sm text-slate-800 dark:text-slate-100">
        {t('core.approval.asked', {
          who: request.requestedBy.email,
          when: relativeTime(Date.parse(request.requestedAt), now),
          risk: RISK_SAID[request.risk](),
          deadline: absoluteTime(Date.parse(request.expiresAt)),
        })}
      </p>
      <p className="text-sm text-slate-700 dark:text-slate-200">
        {request.approvedBy.length > 0 ? `${t('core.approval.approvedBy', { people: listOf(request.approvedBy.map((a) => a.email)) })} · ` : ''}
        {request.delaySeconds > 0
          ? t('core.approval.neededDelay', { count: stillNeeded(request), seconds: request.delaySeconds })
          : t('core.approval.needed', { count: stillNeeded(request) })}
      </p>
      {action.confirmText && <p className="text-sm font-medium text-slate-900 dark:text-white">{action.confirmText}</p>}
      {mayAnswer ? (
        <div className="flex flex-wrap gap-2">
          <Button tone="primary" disabled={decide.isPending} onClick={() => approve()}>
            {t('core.approval.approve')}
          </Button>
          <Button tone="dangerQuiet" disabled={decide.isPending} onClick={() => setDialog('deny')}>
            {t('core.approval.deny')}
          </Button>
        </div>
      ) : (
        <p className="text-sm text-slate-700 dark:text-slate-200">{own ? t('core.approval.own') : t('core.approval.notYours')}</p>
      )}
      {decide.error && dialog === null && (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          {pressErrorSentence(decide.error, action)}
        </p>
      )}
      {dialog === 'deny' && (
        <AlertDialog
          title={t('core.approval.denyTitle', { button: action.buttonText })}
          confirmLabel={t('core.approval.deny')}
          tone="danger"
          pending={decide.isPending}
          onCancel={() => setDialog(null)}
          onConfirm={() => decide.mutate({ kind: 'deny', reason }, { onSettled: () => setDialog(null) })}
        >
          <p>{t('core.approval.denyBody', { who: request.requestedBy.email })}</p>
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t('core.approval.reason')}
            <textarea
              value={reason}
              maxLength={REASON_MAX}
              onChange={(e) => setReason(e.target.value)}
              rows={2}
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-white"
            />
          </label>
        </AlertDialog>
      )}
      {dialog === 'step-up' && (
        <Suspense fallback={null}>
          <LazyStepUpDialog
            slug={slug}
            risk={request.risk}
            reason={t('core.approval.stepUpReason', { button: action.buttonText })}
            onProven={() => {
              setDialog(null);
              approve(true);
            }}
            onCancel={() => setDialog(null)}
          />
        </Suspense>
      )}
    </section>
  );
}

/** Every request of the event that waits for approval; `approveId`: the one a push led to. */
export function ApprovalPanel({ event, approveId }: { event: EventDto; approveId: string | null }) {
  const waiting = event.actions.filter((a) => a.request?.status === 'awaiting_approval');
  if (waiting.length === 0) return null;
  return (
    <div className="flex flex-col gap-2">
      {waiting.map((a) => (
        <ApprovalRequest key={a.request!.id} event={event} action={a} focused={a.request!.id === approveId} />
      ))}
    </div>
  );
}

/**
 * "Confirm it's you": the project's policy asks whoever presses this action to prove who they are
 * again (the press answered 401 `step_up_required`), or a change to one's passkeys does. Someone with
 * a passkey uses it (`Continue` opens the browser's passkey prompt); someone without types their
 * password. Once the server accepts the proof the dialog closes and the step goes ahead (the person
 * confirmed it already). Focus starts in the field (or on Continue); a wrong password is said at the
 * field; Cancel and Escape close without going ahead.
 */
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useModalDialog } from '../../components/useModalDialog.ts';
import { Alert, Button, TextField } from '../../components/ui.tsx';
import { ApiFailure } from '../../lib/api.ts';
import { sentence } from '../../lib/words.ts';
import { useAuthStatus } from '../auth/api.ts';
import { usePasskeys } from '../passkeys/api.ts';
import { passkeysUsable } from '../passkeys/support.ts';
import type { Risk } from '../../../contract/policy.ts';
import { stepUp, usePolicy } from './api.ts';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';
import { withTexts } from '../../lib/lazy.ts';

interface StepUpProps {
  /** The project the step belongs to: where the proof is recorded, and whose policy says for how long. */
  slug?: string;
  /** The action about to be pressed (a press); without it, `reason` says what waits. */
  buttonText?: string;
  /** The action's risk: its step-up window (when the policy is known) is how long the proof lasts. */
  risk?: Risk;
  /** What waits for the proof, when it is not a press. */
  reason?: string;
  onProven: () => void;
  onCancel: () => void;
}

/** Waits for whether the person has a passkey (an error: the password), then asks for the right proof. */
export function StepUpDialog(props: StepUpProps) {
  const usable = passkeysUsable();
  const passkeys = usePasskeys({ enabled: usable });
  if (usable && passkeys.isPending) return null;
  const withPasskey = usable && (passkeys.data?.passkeys.length ?? 0) > 0;
  return <ConfirmItsYou {...props} withPasskey={withPasskey} />;
}

function ConfirmItsYou({ slug, buttonText, risk, reason, onProven, onCancel, withPasskey }: StepUpProps & { withPasskey: boolean }) {
  const field = useRef<HTMLInputElement>(null);
  const continueButton = useRef<HTMLButtonElement>(null);
  const ref = useModalDialog(withPasskey ? continueButton : field, false);
  const titleId = useId();
  const bodyId = useId();
  const email = useAuthStatus().data?.user?.email ?? '';
  const minutes = usePolicy(slug ?? '', { enabled: slug !== undefined && risk !== undefined }).data?.[risk ?? 'low'].stepUpMinutes ?? 0;
  const [password, setPassword] = useState('');
  const [empty, setEmpty] = useState(false);
  const check = useMutation({
    mutationFn: async (given: string) => {
      if (withPasskey) return (await withTexts(() => import('../passkeys/ceremony.ts'))).stepUpWithPasskey(slug);
      return stepUp(given, slug ?? '');
    },
    onSuccess: onProven,
  });
  // After a refusal, back to the field with what was typed selected: typing replaces it.
  useEffect(() => {
    if (!check.error) return;
    if (withPasskey) continueButton.current?.focus();
    else {
      field.current?.focus();
      field.current?.select();
    }
  }, [check.error, withPasskey]);
  const code = check.error instanceof ApiFailure ? check.error.code : null;
  const wrong = code === 'wrong_password';
  const fieldMessage = withPasskey
    ? null
    : empty
      ? t('core.stepUp.empty')
      : wrong
        ? t('core.stepUp.wrong')
        : check.error instanceof ApiFailure && check.error.field === 'password'
          ? sentence(check.error.message)
          : null;
  const other = check.error && !fieldMessage ? (code === 'passkey_refused' ? t('core.stepUp.passkeyRefused') : sentence(check.error.message)) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (check.isPending) return;
    if (!withPasskey && password === '') {
      setEmpty(true);
      field.current?.focus();
      return;
    }
    setEmpty(false);
    check.mutate(password);
  };
  return (
    <dialog
      ref={ref}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      aria-busy={check.isPending}
      onCancel={(e) => {
        e.preventDefault();
        if (!check.isPending) onCancel();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <form noValidate onSubmit={submit} className="flex flex-col gap-4 p-5">
        <h2 id={titleId} className="text-lg font-semibold">
          {t('core.stepUp.title')}
        </h2>
        {buttonText !== undefined ? (
          <p id={bodyId} className="text-sm text-slate-700 dark:text-slate-300">
            {rich(withPasskey ? 'core.stepUp.askPasskey' : 'core.stepUp.askPassword', {
              button: <span className="font-medium text-slate-900 dark:text-white">{buttonText}</span>,
            })}{' '}
            {minutes ? t('core.stepUp.sentNextWindow', { minutes }) : t('core.stepUp.sentNext')}
          </p>
        ) : (
          <p id={bodyId} className="text-sm text-slate-700 dark:text-slate-300">
            {reason ?? t('core.stepUp.needsProof')} {withPasskey ? t('core.stepUp.withPasskey') : t('core.stepUp.withPassword')}
          </p>
        )}
        {withPasskey ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">{t('core.stepUp.passkeyHint')}</p>
        ) : (
          <>
            {/* For password managers: whose password this is. */}
            <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
            <TextField
              ref={field}
              label={t('core.stepUp.password')}
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              readOnly={check.isPending}
              onChange={(e) => {
                setPassword(e.target.value);
                setEmpty(false);
              }}
              error={fieldMessage}
            />
          </>
        )}
        {other && <Alert>{other}</Alert>}
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={onCancel} disabled={check.isPending}>
            {t('core.cancel')}
          </Button>
          <Button ref={continueButton} type="submit" tone="primary" disabled={check.isPending} aria-label={t('core.continue')}>
            {check.isPending ? (withPasskey ? t('core.stepUp.waitingPasskey') : t('core.stepUp.checking')) : t('core.continue')}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

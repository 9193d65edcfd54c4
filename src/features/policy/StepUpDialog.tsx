/**
 * "Confirm it's you": the project's policy asks whoever presses this action to prove who they are
 * again (the press answered 401 `step_up_required`). The person types their password; once the server
 * accepts it the dialog closes and the press goes ahead (the person confirmed it already). Focus starts
 * in the field; a wrong password is said at the field; Cancel and Escape close without pressing.
 */
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useModalDialog } from '../../components/useModalDialog.ts';
import { Alert, Button, TextField } from '../../components/ui.tsx';
import { ApiFailure } from '../../lib/api.ts';
import { sentence } from '../actions/actionPhase.ts';
import { useAuthStatus } from '../auth/api.ts';
import type { Risk } from '../../../contract/policy.ts';
import { stepUp, usePolicy } from './api.ts';

const WRONG = 'That is not your password';

export function StepUpDialog({
  slug,
  buttonText,
  risk,
  onProven,
  onCancel,
}: {
  slug: string;
  buttonText: string;
  /** The action's risk: its step-up window (when the policy is known) is how long the proof lasts. */
  risk: Risk;
  onProven: () => void;
  onCancel: () => void;
}) {
  const field = useRef<HTMLInputElement>(null);
  const ref = useModalDialog(field, false);
  const titleId = useId();
  const bodyId = useId();
  const email = useAuthStatus().data?.user?.email ?? '';
  const minutes = usePolicy(slug).data?.[risk].stepUpMinutes ?? 0;
  const [password, setPassword] = useState('');
  const [empty, setEmpty] = useState(false);
  const check = useMutation({
    mutationFn: (given: string) => stepUp(given, slug),
    onSuccess: onProven,
  });
  // After a refusal, back to the field with what was typed selected: typing replaces it.
  useEffect(() => {
    if (!check.error) return;
    field.current?.focus();
    field.current?.select();
  }, [check.error]);
  const wrong = check.error instanceof ApiFailure && check.error.code === 'wrong_password';
  const fieldMessage = empty ? 'Type your password' : wrong ? WRONG : check.error instanceof ApiFailure && check.error.field === 'password' ? sentence(check.error.message) : null;
  const other = check.error && !fieldMessage ? sentence(check.error.message) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (check.isPending) return;
    if (password === '') {
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
          {"Confirm it's you"}
        </h2>
        <p id={bodyId} className="text-sm text-slate-700 dark:text-slate-300">
          This project asks for your password again before “<span className="font-medium text-slate-900 dark:text-white">{buttonText}</span>” is sent.
          {' '}It is sent as soon as you continue{minutes ? `; presses like it then need no password for ${minutes} min` : ''}.
        </p>
        {/* For password managers: whose password this is. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <TextField
          ref={field}
          label="Password"
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
        {other && <Alert>{other}</Alert>}
        {/* A passkey, when the account has one, will be offered here beside the password. */}
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={onCancel} disabled={check.isPending}>
            Cancel
          </Button>
          <Button type="submit" tone="primary" disabled={check.isPending} aria-label="Continue">
            {check.isPending ? 'Checking…' : 'Continue'}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

/** Settings → Account: your name, email and password, and signing out here or everywhere else. */
import { LanguageField } from '../settings/LanguageField.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { AuthStatus, Me } from '../../../contract/api.ts';
import { PASSWORD_MIN } from '../../../contract/limits.ts';
import { Alert, Button, Card, TextField } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { ApiFailure, api, fieldError } from '../../lib/api.ts';
import { authKeys, useAuthStatus } from './api.ts';
import { useSignOut } from './mutations.ts';
import { rich } from '../../i18n/rich.tsx';

const otherError = (error: Error | null) => error && !(error instanceof ApiFailure && error.field) && <Alert>{error.message}</Alert>;

export function AccountCard() {
  const qc = useQueryClient();
  const me = useAuthStatus().data?.user;
  const signOut = useSignOut();
  const setMe = (user: Me) => qc.setQueryData<AuthStatus>(authKeys.status, (old) => (old ? { ...old, user } : old));
  const [name, setName] = useState(me?.name ?? '');
  const [email, setEmail] = useState('');
  const [emailPassword, setEmailPassword] = useState('');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const rename = useMutation({
    mutationFn: () => api<Me>('/api/account', { method: 'PATCH', json: { name } }),
    onSuccess: (u) => {
      setMe(u);
      setSaved(t('settings.account.nameSaved'));
    },
  });
  const changeEmail = useMutation({
    mutationFn: () => api<Me>('/api/account/email', { method: 'POST', json: { email, currentPassword: emailPassword } }),
    onSuccess: (u) => {
      setMe(u);
      setEmail('');
      setEmailPassword('');
      setSaved(t('settings.account.emailChanged'));
    },
  });
  const changePassword = useMutation({
    mutationFn: () => api<{ otherSessionsEnded: number }>('/api/account/password', { method: 'POST', json: { currentPassword: current, password: next } }),
    onSuccess: (r) => {
      setCurrent('');
      setNext('');
      setSaved(r.otherSessionsEnded > 0 ? t('settings.account.passwordChangedOthers', { count: r.otherSessionsEnded }) : t('settings.account.passwordChanged'));
    },
  });
  const others = useMutation({
    mutationFn: () => api<{ otherSessionsEnded: number }>('/api/account/sign-out-others', { method: 'POST' }),
    onSuccess: (r) => setSaved(r.otherSessionsEnded > 0 ? t('settings.account.signedOutOthers', { count: r.otherSessionsEnded }) : t('settings.account.noOtherSessions')),
  });
  const submit = (fn: () => void) => (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    fn();
  };
  return (
    <Card className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id="account" className="text-lg font-semibold">{t('settings.account.title')}</h2>
          <p className="break-words text-sm text-slate-600 dark:text-slate-400">{rich('settings.account.signedInAs', { email: <span dir="ltr">{me?.email}</span> })}</p>
        </div>
        <Button onClick={() => signOut.mutate()} disabled={signOut.isPending}>{t('settings.account.signOut')}</Button>
      </div>
      {saved && (
        <p role="status" className="text-sm font-medium text-emerald-800 dark:text-emerald-300">
          {saved}
        </p>
      )}
      <form onSubmit={submit(() => rename.mutate())} className="flex flex-wrap items-end gap-2">
        <div className="min-w-48 flex-1">
          <TextField label={t('settings.account.yourName')} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(rename.error, 'name')} hint={t('settings.account.nameHint')} />
        </div>
        <Button type="submit" disabled={rename.isPending}>{t('settings.account.saveName')}</Button>
      </form>
      {otherError(rename.error)}
      <div className="max-w-sm">
        <LanguageField chosen={me?.locale ?? null} />
      </div>
      {/* Email and password side by side where there is room: each its own form, with the current password. */}
      <div className="grid gap-6 border-t border-slate-100 pt-4 md:grid-cols-2 dark:border-slate-800">
        <form onSubmit={submit(() => changeEmail.mutate())} className="flex flex-col gap-2">
          <h3 className="text-sm font-semibold">{t('settings.account.emailTitle')}</h3>
          <TextField label={t('settings.account.newEmail')} type="email" dir="ltr" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(changeEmail.error, 'email')} />
          <TextField
            label={t('settings.account.currentPasswordForEmail')}
            type="password"
            autoComplete="current-password"
            value={emailPassword}
            onChange={(e) => setEmailPassword(e.target.value)}
            error={fieldError(changeEmail.error, 'currentPassword')}
          />
          <Button type="submit" className="self-start" disabled={changeEmail.isPending || email === ''}>{t('settings.account.changeEmail')}</Button>
          {otherError(changeEmail.error)}
        </form>
        <form onSubmit={submit(() => changePassword.mutate())} className="flex flex-col gap-2">
          <h3 className="text-sm font-semibold">{t('settings.account.passwordTitle')}</h3>
          <TextField label={t('settings.account.currentPassword')} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} error={fieldError(changePassword.error, 'currentPassword')} />
          <TextField
            label={t('settings.account.newPassword')}
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_MIN}
            value={next}
            onChange={(e) => setNext(e.target.value)}
            error={fieldError(changePassword.error, 'password')}
            hint={t('settings.account.passwordHint', { min: PASSWORD_MIN })}
          />
          <Button type="submit" className="self-start" disabled={changePassword.isPending || next === ''}>{t('settings.account.changePassword')}</Button>
          {otherError(changePassword.error)}
        </form>
      </div>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 border-t border-slate-100 pt-4 dark:border-slate-800">
        <p className="min-w-0 flex-1 basis-60 text-sm text-slate-600 dark:text-slate-400">{t('settings.account.othersText')}</p>
        <Button
          onClick={() => {
            setSaved(null);
            others.mutate();
          }}
          disabled={others.isPending}
        >
          {t('settings.account.endOthers')}
        </Button>
      </div>
      {otherError(others.error)}
    </Card>
  );
}

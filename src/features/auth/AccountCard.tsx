/** Settings → Account: your name, email and password, and signing out here or everywhere else. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { AuthStatus, Me } from '../../../contract/api.ts';
import { PASSWORD_MIN } from '../../../contract/limits.ts';
import { Alert, Button, Card, TextField } from '../../components/ui.tsx';
import { ApiFailure, api, fieldError } from '../../lib/api.ts';
import { authKeys, useAuthStatus, useSignOut } from './api.ts';
import { plural } from '../../lib/words.ts';

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
      setSaved('Name saved.');
    },
  });
  const changeEmail = useMutation({
    mutationFn: () => api<Me>('/api/account/email', { method: 'POST', json: { email, currentPassword: emailPassword } }),
    onSuccess: (u) => {
      setMe(u);
      setEmail('');
      setEmailPassword('');
      setSaved('Email changed.');
    },
  });
  const changePassword = useMutation({
    mutationFn: () => api<{ otherSessionsEnded: number }>('/api/account/password', { method: 'POST', json: { currentPassword: current, password: next } }),
    onSuccess: (r) => {
      setCurrent('');
      setNext('');
      setSaved(`Password changed${r.otherSessionsEnded > 0 ? `; ${plural(r.otherSessionsEnded, 'other session')} signed out` : ''}.`);
    },
  });
  const others = useMutation({
    mutationFn: () => api<{ otherSessionsEnded: number }>('/api/account/sign-out-others', { method: 'POST' }),
    onSuccess: (r) => setSaved(r.otherSessionsEnded > 0 ? `Signed out ${plural(r.otherSessionsEnded, 'other session')}.` : 'No other session was signed in.'),
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
          <h2 id="account" className="text-lg font-semibold">Account</h2>
          <p className="break-words text-sm text-slate-600 dark:text-slate-400">Signed in as {me?.email}</p>
        </div>
        <Button onClick={() => signOut.mutate()} disabled={signOut.isPending}>Sign out</Button>
      </div>
      {saved && (
        <p role="status" className="text-sm font-medium text-emerald-800 dark:text-emerald-300">
          {saved}
        </p>
      )}
      <form onSubmit={submit(() => rename.mutate())} className="flex flex-wrap items-end gap-2">
        <div className="min-w-48 flex-1">
          <TextField label="Your name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(rename.error, 'name')} hint="What teammates see beside your presses." />
        </div>
        <Button type="submit" disabled={rename.isPending}>Save name</Button>
      </form>
      {otherError(rename.error)}
      {/* Email and password side by side where there is room: each its own form, with the current password. */}
      <div className="grid gap-6 border-t border-slate-100 pt-4 md:grid-cols-2 dark:border-slate-800">
        <form onSubmit={submit(() => changeEmail.mutate())} className="flex flex-col gap-2">
          <h3 className="text-sm font-semibold">Email address</h3>
          <TextField label="New email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(changeEmail.error, 'email')} />
          <TextField
            label="Current password (for the new email)"
            type="password"
            autoComplete="current-password"
            value={emailPassword}
            onChange={(e) => setEmailPassword(e.target.value)}
            error={fieldError(changeEmail.error, 'currentPassword')}
          />
          <Button type="submit" className="self-start" disabled={changeEmail.isPending || email === ''}>Change email</Button>
          {otherError(changeEmail.error)}
        </form>
        <form onSubmit={submit(() => changePassword.mutate())} className="flex flex-col gap-2">
          <h3 className="text-sm font-semibold">Password</h3>
          <TextField label="Current password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} error={fieldError(changePassword.error, 'currentPassword')} />
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_MIN}
            value={next}
            onChange={(e) => setNext(e.target.value)}
            error={fieldError(changePassword.error, 'password')}
            hint={`At least ${PASSWORD_MIN} characters. Your other sessions are signed out.`}
          />
          <Button type="submit" className="self-start" disabled={changePassword.isPending || next === ''}>Change password</Button>
          {otherError(changePassword.error)}
        </form>
      </div>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 border-t border-slate-100 pt-4 dark:border-slate-800">
        <p className="min-w-0 flex-1 basis-60 text-sm text-slate-600 dark:text-slate-400">Signed in on another device you no longer have? End every session but this one.</p>
        <Button
          onClick={() => {
            setSaved(null);
            others.mutate();
          }}
          disabled={others.isPending}
        >
          End my other sessions
        </Button>
      </div>
      {otherError(others.error)}
    </Card>
  );
}

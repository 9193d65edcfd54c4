/**
 * The invite page (`/invite#token=…`): says which project and role it is for; a newcomer sets name,
 * email and password and presses Join; someone signed in joins with one click. Then the project opens.
 * And the password-reset page an admin's link opens (`/reset-password#token=…`).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { AuthStatus } from '../../../contract/api.ts';
import { Alert, Button, TextField } from '../../components/ui.tsx';
import { api, fieldError } from '../../lib/api.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { authKeys, useAuthStatus } from '../auth/api.ts';
import { NewPasswordField, Shell } from '../auth/AuthPage.tsx';
import { projectKeys } from './api.ts';
import { acceptInvite, lookupInvite } from './manage.ts';
import { projectHref } from './current.ts';

const tokenFromHash = () => new URLSearchParams(location.hash.slice(1)).get('token') ?? '';

const ROLE_SAYS = {
  viewer: 'see its events (view only)',
  member: 'see its events and press its actions',
  admin: 'see its events, press its actions and manage its keys and members',
} as const;

export function InvitePage() {
  const token = tokenFromHash();
  const qc = useQueryClient();
  const me = useAuthStatus().data?.user ?? null;
  const info = useQuery({ queryKey: ['invite', token], queryFn: () => lookupInvite(token), enabled: token !== '', retry: false });
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const join = useMutation({
    mutationFn: () => acceptInvite(me ? { token } : { token, name, email, password }),
    onSuccess: async (joined) => {
      qc.setQueryData<AuthStatus>(authKeys.status, (old) => (old ? { ...old, user: joined.me } : old));
      await qc.invalidateQueries({ queryKey: authKeys.status });
      await qc.invalidateQueries({ queryKey: projectKeys.list });
      navigate(projectHref(joined.project.slug, '/'), { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    join.mutate();
  };

  if (!token) {
    return (
      <Shell title="Invite link">
        <p>Open the whole link you were sent: it ends in <code>#token=…</code>.</p>
      </Shell>
    );
  }
  if (info.isPending) return <Shell title="Invite link"><p aria-live="polite">Checking the invite…</p></Shell>;
  if (info.isError) {
    return (
      <Shell title="This invite cannot be used">
        <p className="text-slate-700 dark:text-slate-300">{info.error.message}</p>
        <Link href="/" className="font-medium text-sky-800 underline dark:text-sky-300">
          {me ? 'Back to Switchboard' : 'Go to sign-in'}
        </Link>
      </Shell>
    );
  }
  const { project, role, expiresAt } = info.data;
  const intro = `You are invited to ${project.name} as ${role}: you will ${ROLE_SAYS[role]}. The link works once, until ${new Date(expiresAt).toLocaleDateString()}.`;
  return (
    <Shell title={`Join ${project.name}`} intro={intro}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        {me ? (
          <p className="text-sm">
            Signed in as <strong>{me.email}</strong>.
          </p>
        ) : (
          <>
            <TextField label="Name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} error={fieldError(join.error, 'name')} />
            <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(join.error, 'email')} />
            <NewPasswordField value={password} onChange={setPassword} error={fieldError(join.error, 'password')} />
          </>
        )}
        {join.error && !fieldError(join.error, 'name') && !fieldError(join.error, 'email') && !fieldError(join.error, 'password') && <Alert>{join.error.message}</Alert>}
        <Button type="submit" tone="primary" disabled={join.isPending}>
          {join.isPending ? 'Joining…' : 'Join'}
        </Button>
      </form>
    </Shell>
  );
}

export function ResetPasswordPage() {
  const token = tokenFromHash();
  const qc = useQueryClient();
  const [password, setPassword] = useState('');
  const reset = useMutation({
    mutationFn: () => api('/api/auth/reset-password', { method: 'POST', json: { token, password } }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: authKeys.status });
      navigate('/', { replace: true });
    },
  });
  return (
    <Shell title="Choose a new password" intro="This link from an admin works once. Your other sessions end when you save.">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reset.mutate();
        }}
        className="flex flex-col gap-4"
        noValidate
      >
        <NewPasswordField label="New password" value={password} onChange={setPassword} error={fieldError(reset.error, 'password')} />
        {reset.error && !fieldError(reset.error, 'password') && <Alert>{reset.error.message}</Alert>}
        <Button type="submit" tone="primary" disabled={reset.isPending || !token}>
          {reset.isPending ? 'Saving…' : 'Save password'}
        </Button>
      </form>
    </Shell>
  );
}

/**
 * The invite page (`/invite#token=…`): says which project and role it is for; a newcomer sets name,
 * email and password and presses Join; someone signed in joins with one click. Then the project opens.
 * And the password-reset page an admin's link opens (`/reset-password#token=…`).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { AuthStatus, ProjectRole } from '../../../contract/api.ts';
import { Alert, Button, TextField } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { intlLocale } from '../../i18n/locale.ts';
import { api, fieldError } from '../../lib/api.ts';
import { rich } from '../../i18n/rich.tsx';
import { Link, navigate } from '../../lib/router.tsx';
import { authKeys, useAuthStatus } from '../auth/api.ts';
import { NewPasswordField, Shell } from '../auth/AuthPage.tsx';
import { projectKeys } from './api.ts';
import { acceptInvite, lookupInvite } from './manage.ts';
import { projectHref } from './current.ts';

const tokenFromHash = () => new URLSearchParams(location.hash.slice(1)).get('token') ?? '';

/** What an invite says: its project, its role and what that role may do, and until when the link works. */
const INTRO: Record<ProjectRole, (values: { project: string; until: string }) => string> = {
  viewer: (values) => t('pages.invite.intro.viewer', values),
  member: (values) => t('pages.invite.intro.member', values),
  admin: (values) => t('pages.invite.intro.admin', values),
};

const TOKEN_END = <code dir="ltr">#token=…</code>;

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
      <Shell title={t('pages.invite.linkTitle')}>
        <p>{rich('pages.invite.openWholeLink', { code: TOKEN_END })}</p>
      </Shell>
    );
  }
  if (info.isPending) {
    return (
      <Shell title={t('pages.invite.linkTitle')}>
        <p aria-live="polite">{t('pages.invite.checking')}</p>
      </Shell>
    );
  }
  if (info.isError) {
    return (
      <Shell title={t('pages.invite.unusable')}>
        <p className="text-slate-700 dark:text-slate-300">{info.error.message}</p>
        <Link href="/" className="font-medium text-sky-800 underline dark:text-sky-300">
          {me ? t('pages.invite.backHome') : t('pages.goToSignIn')}
        </Link>
      </Shell>
    );
  }
  const { project, role, expiresAt } = info.data;
  const intro = INTRO[role]({ project: project.name, until: new Date(expiresAt).toLocaleDateString(intlLocale()) });
  return (
    <Shell title={t('pages.invite.joinTitle', { project: project.name })} intro={intro}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        {me ? (
          <p className="text-sm">
            {rich('pages.invite.signedInAs', { email: <strong dir="ltr">{me.email}</strong> })}
          </p>
        ) : (
          <>
            <TextField label={t('pages.field.name')} autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} error={fieldError(join.error, 'name')} />
            <TextField label={t('pages.field.email')} type="email" dir="ltr" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(join.error, 'email')} />
            <NewPasswordField value={password} onChange={setPassword} error={fieldError(join.error, 'password')} />
          </>
        )}
        {join.error && !fieldError(join.error, 'name') && !fieldError(join.error, 'email') && !fieldError(join.error, 'password') && <Alert>{join.error.message}</Alert>}
        <Button type="submit" tone="primary" disabled={join.isPending}>
          {join.isPending ? t('pages.invite.joining') : t('pages.invite.join')}
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
    <Shell title={t('pages.reset.title')} intro={t('pages.reset.intro')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reset.mutate();
        }}
        className="flex flex-col gap-4"
        noValidate
      >
        <NewPasswordField label={t('pages.reset.newPassword')} value={password} onChange={setPassword} error={fieldError(reset.error, 'password')} />
        {reset.error && !fieldError(reset.error, 'password') && <Alert>{reset.error.message}</Alert>}
        <Button type="submit" tone="primary" disabled={reset.isPending || !token}>
          {reset.isPending ? t('pages.reset.saving') : t('pages.reset.save')}
        </Button>
      </form>
    </Shell>
  );
}

/** Sign-in, and the one-time setup that creates the owner account. */
import { type FormEvent, useState } from 'react';
import { PASSWORD_MIN } from '../../../contract/limits.ts';
import { Alert, Button, Card, TextField } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { ApiFailure, fieldError } from '../../lib/api.ts';
import { rich } from '../../i18n/rich.tsx';
import { Link, navigate } from '../../lib/router.tsx';
import { passkeysUsable } from '../passkeys/support.ts';
import { useAuthStatus } from './api.ts';
import { usePasskeySignIn, useSetup, useSignIn } from './mutations.ts';
import { SsoButton } from './SsoButton.tsx';

/** A password being chosen: its rules said under it. */
export function NewPasswordField({ label = t('pages.field.password'), value, onChange, error }: { label?: string; value: string; onChange: (v: string) => void; error: string | null }) {
  return (
    <TextField
      label={label}
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD_MIN}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint={t('pages.passwordRule', { min: PASSWORD_MIN })}
    />
  );
}

export function Shell({ title, intro, children }: { title: string; intro?: string; children: React.ReactNode }) {
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 px-4 py-10">
      <div className="flex items-center gap-3">
        <img src="/favicon.svg" alt="" width={40} height={40} />
        <h1 className="text-2xl font-semibold">{title}</h1>
      </div>
      {intro && <p className="text-slate-600 dark:text-slate-400">{intro}</p>}
      <Card>{children}</Card>
    </main>
  );
}


interface CredentialsFormProps {
  /** Whether the password is being chosen (setup) rather than entered (sign-in). */
  newPassword: boolean;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: Error | null;
  onSubmit: (email: string, password: string) => void;
  /** More fields, before Email (setup asks for a name and the first project's). */
  children?: React.ReactNode;
}

function CredentialsForm({ newPassword, submitLabel, pendingLabel, pending, error, onSubmit, children }: CredentialsFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(email, password);
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      {children}
      <TextField label={t('pages.field.email')} type="email" dir="ltr" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, 'email')} />
      <TextField
        label={t('pages.field.password')}
        type="password"
        autoComplete={newPassword ? 'new-password' : 'current-password'}
        required
        minLength={newPassword ? PASSWORD_MIN : undefined}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldError(error, 'password')}
        hint={newPassword ? t('pages.passwordRule', { min: PASSWORD_MIN }) : undefined}
      />
      {error && !(error instanceof ApiFailure && error.field) && <Alert>{error.message}</Alert>}
      <Button type="submit" tone="primary" disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </Button>
    </form>
  );
}

/** `Sign in with a passkey`: no email to type; the browser offers the passkeys it has for this site. */
function PasskeySignIn() {
  const signIn = usePasskeySignIn();
  const quiet = signIn.error instanceof ApiFailure && signIn.error.code === 'passkey_cancelled';
  return (
    <div className="flex flex-col gap-3 border-t border-slate-100 pt-4 dark:border-slate-800">
      <Button onClick={() => signIn.mutate()} disabled={signIn.isPending}>
        {signIn.isPending ? t('pages.auth.passkeyWaiting') : t('pages.auth.passkeySignIn')}
      </Button>
      {signIn.error &&
        (quiet ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">{signIn.error.message}</p>
        ) : (
          <Alert>{signIn.error instanceof ApiFailure && signIn.error.code === 'passkey_refused' ? t('pages.auth.passkeyRefused') : signIn.error.message}</Alert>
        ))}
    </div>
  );
}

export function SignInPage() {
  const signIn = useSignIn();
  return (
    <Shell title={t('pages.auth.signInTitle')}>
      <div className="flex flex-col gap-4">
        <SsoButton />
        <CredentialsForm
          newPassword={false}
          submitLabel={t('pages.auth.signIn')}
          pendingLabel={t('pages.auth.signingIn')}
          pending={signIn.isPending}
          error={signIn.error}
          onSubmit={(email, password) => signIn.mutate({ email, password })}
        />
        {/* Browsers refuse passkeys on an IP address: not offered there. */}
        {passkeysUsable() && <PasskeySignIn />}
      </div>
    </Shell>
  );
}

export function SetupPage() {
  const setup = useSetup();
  const [name, setName] = useState('');
  const [projectName, setProjectName] = useState('');
  const status = useAuthStatus();
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  // Known on load: once the owner exists, every setup link is spent.
  if (status.data && !status.data.setupRequired) {
    return (
      <Shell title={t('pages.auth.setupUsedTitle')}>
        <p className="text-slate-700 dark:text-slate-300">{t('pages.auth.setupUsed')}</p>
        <Link href="/" className="font-medium text-sky-800 underline dark:text-sky-300">
          {t('pages.goToSignIn')}
        </Link>
      </Shell>
    );
  }
  if (!token) {
    return (
      <Shell title={t('pages.auth.setupTitle')}>
        <p>{rich('pages.auth.setupOpenLink', { code: <code dir="ltr">#token=…</code> })}</p>
      </Shell>
    );
  }
  return (
    <Shell title={t('pages.auth.ownerTitle')} intro={t('pages.auth.ownerIntro')}>
      <CredentialsForm
        newPassword
        submitLabel={t('pages.auth.createAccount')}
        pendingLabel={t('pages.auth.creating')}
        pending={setup.isPending}
        error={setup.error}
        onSubmit={(email, password) =>
          setup.mutate(
            { token, email, password, ...(name.trim() ? { name } : {}), ...(projectName.trim() ? { projectName } : {}) },
            { onSuccess: () => navigate('/', { replace: true }) },
          )
        }
      >
        {/* Teammates see this name beside everything the owner does; the first project gets a real name. */}
        <TextField
          label={t('pages.field.name')}
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(setup.error, 'name')}
          hint={t('pages.auth.nameHint')}
        />
        <TextField
          label={t('pages.auth.firstProject')}
          placeholder={t('pages.auth.firstProjectPlaceholder')}
          value={projectName}
          onChange={(e) => setProjectName(e.target.value)}
          error={fieldError(setup.error, 'projectName')}
          hint={t('pages.auth.firstProjectHint')}
        />
      </CredentialsForm>
    </Shell>
  );
}

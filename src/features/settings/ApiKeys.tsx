import { type FormEvent, useId, useState } from 'react';
import type { ApiKeyDto, KeyScope } from '../../../contract/api.ts';
import { Alert, Button, Card, TextField } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { ApiFailure, fieldError } from '../../lib/api.ts';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { PersonMark } from '../projects/PersonMark.tsx';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from './api.ts';
import { rich } from '../../i18n/rich.tsx';

function NewKey({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="flex flex-col gap-2 rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200 dark:bg-emerald-950/50 dark:ring-emerald-900">
      <p className="text-sm font-medium">{t('settings.keys.newKeyNote')}</p>
      <input
        readOnly
        aria-label={t('settings.keys.newKeyLabel')}
        dir="ltr"
        value={secret}
        onFocus={(e) => e.currentTarget.select()}
        className="min-h-11 w-full rounded bg-white px-2 font-mono text-sm dark:bg-slate-950"
      />
      <div className="flex gap-2">
        <Button onClick={() => navigator.clipboard.writeText(secret).then(() => setCopied(true))}>{copied ? t('settings.common.copied') : t('settings.keys.copy')}</Button>
        <Button onClick={onDone}>{t('settings.common.done')}</Button>
      </div>
    </div>
  );
}

/** What each scope lets a key do, in the words the form and the list use. */
const SCOPES: Record<KeyScope, () => string> = { ingest: () => t('settings.keys.scope.ingest'), read: () => t('settings.keys.scope.read') };

function KeyRow({ k }: { k: ApiKeyDto }) {
  const now = useNow();
  const revoke = useRevokeApiKey();
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="flex flex-wrap items-center gap-3 py-3">
      <div className="min-w-0 flex-1">
        <p className="font-medium">
          {k.name}
          {k.scope === 'read' && (
            <span className="ms-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-900 dark:bg-sky-900/60 dark:text-sky-100">{t('settings.keys.readsEvents')}</span>
          )}
        </p>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {rich(k.lastUsedAt ? 'settings.keys.metaUsed' : 'settings.keys.metaUnused', {
            prefix: <code dir="ltr">{k.prefix}…</code>,
            created: <span title={absoluteTime(Date.parse(k.createdAt))}>{relativeTime(Date.parse(k.createdAt), now)}</span>,
            used: k.lastUsedAt ? relativeTime(Date.parse(k.lastUsedAt), now) : '',
          })}
        </p>
        <p className="flex min-w-0 items-center gap-1 text-xs text-slate-600 dark:text-slate-400">
          {k.createdBy
            ? rich('settings.keys.by', {
                person: <PersonMark id={k.createdBy.id} />,
                email: (
                  <span dir="ltr" className="truncate">
                    {k.createdBy.email}
                  </span>
                ),
              })
            : t('settings.keys.byCli')}
        </p>
      </div>
      {confirming ? (
        <div className="flex gap-2">
          <Button onClick={() => setConfirming(false)}>{t('settings.common.cancel')}</Button>
          <Button tone="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(k.id)} aria-label={t('settings.keys.revokeNamedNow', { name: k.name })}>
            {revoke.isPending ? t('settings.keys.revoking') : t('settings.keys.revokeNow')}
          </Button>
        </div>
      ) : (
        <Button tone="dangerQuiet" onClick={() => setConfirming(true)} aria-label={t('settings.keys.revokeNamed', { name: k.name })}>
          {t('settings.common.revoke')}
        </Button>
      )}
      {revoke.error && <Alert>{revoke.error.message}</Alert>}
    </li>
  );
}

export function ApiKeys() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<KeyScope>('ingest');
  const scopeId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, scope }, { onSuccess: () => setName('') });
  };
  return (
    <Card className="flex flex-col gap-4">
      <div>
        <h2 id="api-keys" className="text-lg font-semibold">{t('settings.keys.title')}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {rich('settings.keys.intro', { endpoint: <code dir="ltr">GET /api/v1/events</code> })}
        </p>
      </div>
      {create.data && <NewKey secret={create.data.key} onDone={() => create.reset()} />}
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <div className="min-w-48 flex-1">
          <TextField
            label={t('settings.keys.name')}
            placeholder={t('settings.keys.namePlaceholder')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(create.error, 'name')}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={scopeId} className="text-sm font-medium">
            {t('settings.keys.access')}
          </label>
          <select
            id={scopeId}
            value={scope}
            onChange={(e) => setScope(e.target.value as KeyScope)}
            className="min-h-11 rounded-lg border border-slate-300 bg-white px-2 text-base dark:border-slate-700 dark:bg-slate-900"
          >
            {(Object.keys(SCOPES) as KeyScope[]).map((s) => (
              <option key={s} value={s}>
                {SCOPES[s]()}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" tone="primary" disabled={create.isPending}>
          {create.isPending ? t('settings.common.creating') : t('settings.keys.create')}
        </Button>
      </form>
      {create.error && !(create.error instanceof ApiFailure && create.error.field) && <Alert>{create.error.message}</Alert>}
      {keys.isError && <Alert>{t('settings.keys.loadFailed', { error: keys.error.message })}</Alert>}
      {keys.data && keys.data.length === 0 && <p className="text-sm text-slate-500">{t('settings.keys.none')}</p>}
      {keys.data && keys.data.length > 0 && (
        <ul aria-label={t('settings.keys.title')} className="divide-y divide-slate-100 dark:divide-slate-800">
          {keys.data.map((k) => (
            <KeyRow key={k.id} k={k} />
          ))}
        </ul>
      )}
    </Card>
  );
}

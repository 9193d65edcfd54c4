/**
 * Settings → Account → Passkeys: the person's passkeys (name, when added, when last used), `Add a
 * passkey`, and per passkey `Rename` and `Remove`. Adding or removing one needs proof of who you are
 * within 10 minutes: when the server asks (401 step_up_required), `Confirm it's you` opens and the
 * step is retried once proven.
 */
import { LazyStepUpDialog } from '../policy/LazyStepUpDialog.tsx';
import { type FormEvent, Suspense, useState } from 'react';
import type { PasskeyDto } from '../../../contract/passkeys.ts';
import { PASSKEY_NAME_MAX } from '../../../contract/passkeys.ts';
import { Alert, Button, Card, TextField } from '../../components/ui.tsx';
import { intlLocale, t } from '../../i18n/i18n.ts';
import { ApiFailure, fieldError } from '../../lib/api.ts';
import { isStepUpRequired } from '../policy/api.ts';
import { useAddPasskey, usePasskeys, useRemovePasskey, useRenamePasskey } from './api.ts';
import { passkeysSupported, passkeysUsable } from './support.ts';

const day = (iso: string) => new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso));

const message = (error: Error | null) => (error && !isStepUpRequired(error) ? <Alert>{error.message}</Alert> : null);

function PasskeyRow({ passkey, onRemove, removing }: { passkey: PasskeyDto; onRemove: () => void; removing: boolean }) {
  const rename = useRenamePasskey();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(passkey.name);
  const save = (e: FormEvent) => {
    e.preventDefault();
    rename.mutate({ id: passkey.id, name }, { onSuccess: () => setEditing(false) });
  };
  return (
    <li className="flex flex-col gap-2 border-t border-slate-100 py-3 first:border-t-0 dark:border-slate-800">
      {editing ? (
        <form onSubmit={save} className="flex flex-wrap items-end gap-2">
          <div className="min-w-48 flex-1">
            <TextField label={t('settings.passkeys.nameLabel')} value={name} maxLength={PASSKEY_NAME_MAX} onChange={(e) => setName(e.target.value)} error={fieldError(rename.error, 'name')} autoFocus />
          </div>
          <Button type="submit" tone="primary" disabled={rename.isPending}>
            {t('settings.common.save')}
          </Button>
          <Button
            onClick={() => {
              setEditing(false);
              setName(passkey.name);
              rename.reset();
            }}
          >
            {t('settings.common.cancel')}
          </Button>
        </form>
      ) : (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <div className="min-w-0 flex-1 basis-48">
            <p className="break-words font-medium">{passkey.name}</p>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {passkey.lastUsedAt
                ? t('settings.passkeys.metaUsed', { added: day(passkey.createdAt), used: day(passkey.lastUsedAt) })
                : t('settings.passkeys.metaUnused', { added: day(passkey.createdAt) })}
            </p>
          </div>
          <div className="flex gap-2">
            <Button onClick={() => setEditing(true)} aria-label={t('settings.passkeys.renameNamed', { name: passkey.name })}>
              {t('settings.common.rename')}
            </Button>
            <Button tone="dangerQuiet" onClick={onRemove} disabled={removing} aria-label={t('settings.common.removeNamed', { name: passkey.name })}>
              {t('settings.common.remove')}
            </Button>
          </div>
        </div>
      )}
      {rename.error && !fieldError(rename.error, 'name') && <Alert>{rename.error.message}</Alert>}
    </li>
  );
}

export function PasskeysCard() {
  const list = usePasskeys();
  const add = useAddPasskey();
  const remove = useRemovePasskey();
  const [done, setDone] = useState<string | null>(null);
  /** The step waiting for `Confirm it's you`, retried once proven. */
  const [waiting, setWaiting] = useState<(() => void) | null>(null);
  const supported = passkeysUsable();

  const addOne = () => {
    setDone(null);
    add.mutate(undefined, {
      onSuccess: (p) => setDone(t('settings.passkeys.added', { name: p.name })),
      onError: (err) => {
        if (isStepUpRequired(err)) setWaiting(() => addOne);
      },
    });
  };
  const removeOne = (p: PasskeyDto) => {
    setDone(null);
    remove.mutate(p.id, {
      onSuccess: () => setDone(t('settings.passkeys.removed', { name: p.name })),
      onError: (err) => {
        if (isStepUpRequired(err)) setWaiting(() => () => removeOne(p));
      },
    });
  };
  const passkeys = list.data?.passkeys ?? [];
  const cancelled = add.error instanceof ApiFailure && add.error.code === 'passkey_cancelled';

  return (
    <Card className="flex flex-col gap-3">
      <section aria-labelledby="passkeys" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0 flex-1 basis-60">
            <h3 id="passkeys" className="text-lg font-semibold">
              {t('settings.passkeys.title')}
            </h3>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {t('settings.passkeys.intro')}
            </p>
          </div>
          <Button tone="primary" onClick={addOne} disabled={!supported || add.isPending}>
            {add.isPending ? t('settings.passkeys.waiting') : t('settings.passkeys.add')}
          </Button>
        </div>
        {!supported && (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {passkeysSupported() ? t('core.passkey.ipOnly') : t('settings.passkeys.unsupported')}
          </p>
        )}
        {done && (
          <p role="status" className="text-sm font-medium text-emerald-800 dark:text-emerald-300">
            {done}
          </p>
        )}
        {cancelled ? <p className="text-sm text-slate-700 dark:text-slate-300">{add.error?.message}</p> : message(add.error)}
        {message(remove.error)}
        {list.isError && <Alert>{list.error.message}</Alert>}
        {list.isSuccess && passkeys.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">{t('settings.passkeys.none')}</p>}
        {passkeys.length > 0 && (
          <ul aria-label={t('settings.passkeys.listLabel')} className="flex flex-col">
            {passkeys.map((p) => (
              <PasskeyRow key={p.id} passkey={p} onRemove={() => removeOne(p)} removing={remove.isPending && remove.variables === p.id} />
            ))}
          </ul>
        )}
      </section>
      {waiting && (
        <Suspense fallback={null}>
          <LazyStepUpDialog
            reason={t('settings.passkeys.stepUpReason')}
            onProven={() => {
              const retry = waiting;
              setWaiting(null);
              retry();
            }}
            onCancel={() => setWaiting(null)}
          />
        </Suspense>
      )}
    </Card>
  );
}

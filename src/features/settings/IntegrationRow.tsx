/**
 * One integration in the list (its source, prefix, last delivery, who added it and when) with Rotate
 * and Delete; and their confirm step, in the app's AlertDialog (focus on Cancel, Escape cancels).
 */
import { useState } from 'react';
import { type IntegrationDto, SOURCE_INFO } from '../../../contract/integrations.ts';
import { t } from '../../i18n/i18n.ts';
import { IntegrationSecret } from './IntegrationSecret.tsx';
import { AlertDialog } from '../../components/AlertDialog.tsx';
import { Alert, Button } from '../../components/ui.tsx';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { PersonMark } from '../projects/PersonMark.tsx';
import { rich } from '../../i18n/rich.tsx';
import { sourceLabel } from './sources.ts';

export type Confirming = { kind: 'rotate' | 'delete'; integration: IntegrationDto };

function When({ iso, now }: { iso: string; now: number }) {
  const at = Date.parse(iso);
  return (
    <time dateTime={iso} title={absoluteTime(at)}>
      {relativeTime(at, now)}
    </time>
  );
}

export function IntegrationRow({ integration: it, onConfirm, onSaved }: { integration: IntegrationDto; onConfirm: (c: Confirming) => void; onSaved: (message: string) => void }) {
  const now = useNow();
  const [editing, setEditing] = useState(false);
  const { avatar } = SOURCE_INFO[it.source];
  const label = sourceLabel(it.source);
  const named = `${label} ${it.prefix}`;
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-2 py-3">
      <span aria-hidden="true" className="text-2xl leading-none">
        {avatar}
      </span>
      {/* On a phone the buttons go below, so the text keeps the row's width. */}
      <div className="min-w-48 flex-1">
        <p className="font-medium">
          {label}
          {it.signed && (
            <span className="ms-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-900 dark:bg-sky-900/60 dark:text-sky-100">{t('settings.integrations.signed')}</span>
          )}
        </p>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {rich(it.lastUsedAt ? 'settings.integrations.metaDelivered' : 'settings.integrations.metaNone', {
            prefix: <code dir="ltr">{it.prefix}…</code>,
            when: it.lastUsedAt ? <When iso={it.lastUsedAt} now={now} /> : '',
          })}
        </p>
        <p className="flex min-w-0 items-center gap-1 text-xs text-slate-600 dark:text-slate-400">
          {it.createdBy
            ? rich('settings.integrations.addedBy', {
                when: <When iso={it.createdAt} now={now} />,
                person: <PersonMark id={it.createdBy.id} />,
                email: (
                  <span dir="ltr" className="truncate">
                    {it.createdBy.email}
                  </span>
                ),
              })
            : rich('settings.integrations.added', { when: <When iso={it.createdAt} now={now} /> })}
        </p>
        {it.signed && !it.secretSet && (
          <p className="text-xs font-medium text-amber-800 dark:text-amber-300">{t('settings.integrations.needsSecret')}</p>
        )}
      </div>
      <div className="ms-auto flex gap-2">
        {it.signed && !editing && (
          <Button onClick={() => setEditing(true)} aria-label={t(it.secretSet ? 'settings.integrations.replaceSecretOf' : 'settings.integrations.setSecretOf', { name: named })}>
            {it.secretSet ? t('settings.integrations.secret') : t('settings.integrations.setSecret')}
          </Button>
        )}
        <Button onClick={() => onConfirm({ kind: 'rotate', integration: it })} aria-label={t('settings.integrations.rotateNamed', { name: named })}>
          {t('settings.integrations.rotate')}
        </Button>
        <Button tone="dangerQuiet" onClick={() => onConfirm({ kind: 'delete', integration: it })} aria-label={t('settings.integrations.deleteNamed', { name: named })}>
          {t('settings.common.delete')}
        </Button>
      </div>
      {editing && (
        <IntegrationSecret
          integration={it}
          onDone={(message) => {
            setEditing(false);
            if (message) onSaved(message);
          }}
        />
      )}
    </li>
  );
}

export function ConfirmIntegration({ confirming, pending, error, onConfirm, onCancel }: {
  confirming: Confirming;
  pending: boolean;
  error: Error | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { kind, integration: it } = confirming;
  const source = sourceLabel(it.source);
  const prefix = <code dir="ltr">{it.prefix}…</code>;
  const after = error && <Alert>{error.message}</Alert>;
  return kind === 'rotate' ? (
    <AlertDialog
      title={t('settings.integrations.rotateTitle', { source })}
      confirmLabel={t('settings.integrations.rotateUrl')}
      pendingContent={t('settings.common.rotating')}
      tone="primary"
      pending={pending}
      onConfirm={onConfirm}
      onCancel={onCancel}
      after={after}
    >
      <p>{rich('settings.integrations.rotateText', { prefix, source })}</p>
    </AlertDialog>
  ) : (
    <AlertDialog
      title={t('settings.integrations.deleteTitle', { source })}
      confirmLabel={t('settings.integrations.delete')}
      pendingContent={t('settings.common.deleting')}
      tone="danger"
      pending={pending}
      onConfirm={onConfirm}
      onCancel={onCancel}
      after={after}
    >
      <p>{rich('settings.integrations.deleteText', { prefix, source })}</p>
    </AlertDialog>
  );
}

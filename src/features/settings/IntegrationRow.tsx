/**
 * One integration in the list (its source, prefix, last delivery, who added it and when) with Rotate
 * and Delete; and their confirm step, in the app's AlertDialog (focus on Cancel, Escape cancels).
 */
import { useState } from 'react';
import { type IntegrationDto, SOURCE_INFO } from '../../../contract/integrations.ts';
import { IntegrationSecret } from './IntegrationSecret.tsx';
import { AlertDialog } from '../../components/AlertDialog.tsx';
import { Alert, Button } from '../../components/ui.tsx';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { PersonMark } from '../projects/PersonMark.tsx';

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
  const { label, avatar } = SOURCE_INFO[it.source];
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
            <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-900 dark:bg-sky-900/60 dark:text-sky-100">signed</span>
          )}
        </p>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          <code>{it.prefix}…</code> ·{' '}
          {it.lastUsedAt ? (
            <>
              Last delivery <When iso={it.lastUsedAt} now={now} />
            </>
          ) : (
            'No deliveries yet'
          )}
        </p>
        <p className="flex min-w-0 items-center gap-1 text-xs text-slate-600 dark:text-slate-400">
          <span className="shrink-0">
            Added <When iso={it.createdAt} now={now} />
            {it.createdBy && ' by'}
          </span>
          {it.createdBy && (
            <>
              <PersonMark id={it.createdBy.id} /> <span className="truncate">{it.createdBy.email}</span>
            </>
          )}
        </p>
        {it.signed && !it.secretSet && (
          <p className="text-xs font-medium text-amber-800 dark:text-amber-300">Needs its signing secret: every delivery is refused until it is set.</p>
        )}
      </div>
      <div className="ml-auto flex gap-2">
        {it.signed && !editing && (
          <Button onClick={() => setEditing(true)} aria-label={`${it.secretSet ? 'Replace the secret of' : 'Set the secret of'} ${named}`}>
            {it.secretSet ? 'Secret' : 'Set secret'}
          </Button>
        )}
        <Button onClick={() => onConfirm({ kind: 'rotate', integration: it })} aria-label={`Rotate ${named}`}>
          Rotate
        </Button>
        <Button tone="dangerQuiet" onClick={() => onConfirm({ kind: 'delete', integration: it })} aria-label={`Delete ${named}`}>
          Delete
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
  const { label } = SOURCE_INFO[it.source];
  const prefix = <code>{it.prefix}…</code>;
  const after = error && <Alert>{error.message}</Alert>;
  return kind === 'rotate' ? (
    <AlertDialog
      title={`Rotate the ${label} URL?`}
      confirmLabel="Rotate URL"
      pendingContent="Rotating…"
      tone="primary"
      pending={pending}
      onConfirm={onConfirm}
      onCancel={onCancel}
      after={after}
    >
      <p>You get a new URL, shown once. The current one ({prefix}) stops working at once: {label}’s deliveries are refused until it has the new URL.</p>
    </AlertDialog>
  ) : (
    <AlertDialog
      title={`Delete the ${label} integration?`}
      confirmLabel="Delete integration"
      pendingContent="Deleting…"
      tone="danger"
      pending={pending}
      onConfirm={onConfirm}
      onCancel={onCancel}
      after={after}
    >
      <p>Its URL ({prefix}) stops working at once: {label}’s deliveries to it will be refused. This cannot be undone.</p>
    </AlertDialog>
  );
}

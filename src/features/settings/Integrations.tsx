/**
 * Settings → Integrations, for a project's admins (CONTRACT §13): a URL per source (Alertmanager,
 * GitHub, Stripe…) that turns the source's own deliveries into events. Add one (its URL is shown
 * once), see each one's last delivery, rotate its URL or delete it.
 */
import { useEffect, useRef, useState } from 'react';
import type { CreatedIntegration } from '../../../contract/integrations.ts';
import { Alert, Card } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { AddIntegration } from './AddIntegration.tsx';
import { type Confirming, ConfirmIntegration, IntegrationRow } from './IntegrationRow.tsx';
import { useDeleteIntegration, useIntegrations, useRotateIntegration } from './integrationsApi.ts';
import { IntegrationUrl } from './IntegrationUrl.tsx';
import { sourceLabel } from './sources.ts';

export function Integrations() {
  const list = useIntegrations();
  const rotate = useRotateIntegration();
  const remove = useDeleteIntegration();
  // The URL just made, held in memory only: a reload (or Done) and it is gone for good.
  const [shown, setShown] = useState<{ created: CreatedIntegration; rotated: boolean } | null>(null);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [status, setStatus] = useState('');
  // After a delete its row goes: focus moves to the heading (after the dialog has given it back).
  const [deleted, setDeleted] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (deleted) heading.current?.focus();
  }, [deleted]);

  const show = (created: CreatedIntegration, rotated: boolean) => {
    setShown({ created, rotated });
    setStatus(t(rotated ? 'settings.integrations.rotatedStatus' : 'settings.integrations.addedStatus', { source: sourceLabel(created.source) }));
  };
  const close = () => {
    setConfirming(null);
    rotate.reset();
    remove.reset();
  };
  const confirm = () => {
    if (!confirming) return;
    const { kind, integration } = confirming;
    if (kind === 'rotate') {
      rotate.mutate(integration.id, {
        onSuccess: (created) => {
          close();
          show(created, true);
        },
      });
    } else {
      remove.mutate(integration.id, {
        onSuccess: () => {
          close();
          if (shown?.created.id === integration.id) setShown(null);
          setStatus(t('settings.integrations.deletedStatus', { source: sourceLabel(integration.source) }));
          setDeleted((n) => n + 1);
        },
      });
    }
  };

  return (
    <section aria-labelledby="integrations">
      <Card className="flex flex-col gap-4">
        <div>
          <h2 id="integrations" ref={heading} tabIndex={-1} className="text-lg font-semibold">
            {t('settings.integrations.title')}
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {t('settings.integrations.intro')}
          </p>
        </div>
        <p role="status" className="sr-only">
          {status}
        </p>
        {shown && <IntegrationUrl key={shown.created.url} created={shown.created} rotated={shown.rotated} onDone={() => setShown(null)} />}
        <AddIntegration onCreated={(created) => show(created, false)} />
        {list.isError && <Alert>{t('settings.integrations.loadFailed', { error: list.error.message })}</Alert>}
        {list.data && list.data.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">{t('settings.integrations.none')}</p>}
        {list.data && list.data.length > 0 && (
          <ul aria-label={t('settings.integrations.title')} className="divide-y divide-slate-100 dark:divide-slate-800">
            {list.data.map((it) => (
              <IntegrationRow key={it.id} integration={it} onConfirm={setConfirming} onSaved={setStatus} />
            ))}
          </ul>
        )}
        {confirming && (
          <ConfirmIntegration
            confirming={confirming}
            pending={confirming.kind === 'rotate' ? rotate.isPending : remove.isPending}
            error={confirming.kind === 'rotate' ? rotate.error : remove.error}
            onConfirm={confirm}
            onCancel={close}
          />
        )}
      </Card>
    </section>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, Button, Card } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { api } from '../../lib/api.ts';
import { projectApi, useProjectSlug } from '../projects/current.ts';
import { rich } from '../../i18n/rich.tsx';

/** The signing secret receivers verify a project's webhooks with (Standard Webhooks), and its rotation. */
export function WebhookSecret() {
  const qc = useQueryClient();
  const project = useProjectSlug();
  const key = ['settings', 'webhookSecret', project] as const;
  const secret = useQuery({ queryKey: key, queryFn: () => api<{ secret: string }>(projectApi(project, 'webhook-secret')) });
  const rotate = useMutation({
    mutationFn: () => api<{ secret: string }>(projectApi(project, 'webhook-secret/rotate'), { method: 'POST' }),
    onSuccess: (data) => {
      qc.setQueryData(key, data);
      setConfirming(false);
    },
  });
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const value = secret.data?.secret ?? '';
  return (
    <Card className="flex flex-col gap-3">
      <div>
        <h2 className="text-lg font-semibold">{t('settings.webhook.title')}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {rich('settings.webhook.intro', {
            id: <code dir="ltr">webhook-id</code>,
            timestamp: <code dir="ltr">webhook-timestamp</code>,
            signature: <code dir="ltr">webhook-signature</code>,
          })}
        </p>
      </div>
      {secret.isError && <Alert>{t('settings.webhook.loadFailed', { error: secret.error.message })}</Alert>}
      <input
        readOnly
        aria-label={t('settings.webhook.title')}
        dir="ltr"
        type={shown ? 'text' : 'password'}
        value={value}
        onFocus={(e) => e.currentTarget.select()}
        className="min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 font-mono text-sm dark:border-slate-700 dark:bg-slate-950"
      />
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => setShown((s) => !s)}>{shown ? t('settings.webhook.hide') : t('settings.webhook.show')}</Button>
        <Button onClick={() => void navigator.clipboard.writeText(value)} disabled={!value}>
          {t('settings.webhook.copy')}
        </Button>
        {confirming ? (
          <>
            <Button onClick={() => setConfirming(false)}>{t('settings.common.cancel')}</Button>
            <Button tone="danger" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
              {rotate.isPending ? t('settings.common.rotating') : t('settings.webhook.rotateNow')}
            </Button>
          </>
        ) : (
          <Button tone="dangerQuiet" onClick={() => setConfirming(true)}>
            {t('settings.webhook.rotate')}
          </Button>
        )}
      </div>
      {rotate.error && <Alert>{rotate.error.message}</Alert>}
    </Card>
  );
}

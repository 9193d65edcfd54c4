import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, Button, Card } from '../../components/ui.tsx';
import { api } from '../../lib/api.ts';
import { projectApi, useProjectSlug } from '../projects/current.ts';

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
        <h2 className="text-lg font-semibold">Webhook signing secret</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Every action request is signed with this secret (Standard Webhooks: <code>webhook-id</code>, <code>webhook-timestamp</code>,{' '}
          <code>webhook-signature</code>). Verify it in your receiver with any Standard Webhooks library.
        </p>
      </div>
      {secret.isError && <Alert>Could not load the secret: {secret.error.message}</Alert>}
      <input
        readOnly
        aria-label="Webhook signing secret"
        type={shown ? 'text' : 'password'}
        value={value}
        onFocus={(e) => e.currentTarget.select()}
        className="min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 font-mono text-sm dark:border-slate-700 dark:bg-slate-950"
      />
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => setShown((s) => !s)}>{shown ? 'Hide' : 'Show'}</Button>
        <Button onClick={() => void navigator.clipboard.writeText(value)} disabled={!value}>
          Copy secret
        </Button>
        {confirming ? (
          <>
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
            <Button tone="danger" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
              {rotate.isPending ? 'Rotating…' : 'Rotate now: receivers need the new secret'}
            </Button>
          </>
        ) : (
          <Button tone="dangerQuiet" onClick={() => setConfirming(true)}>
            Rotate secret
          </Button>
        )}
      </div>
      {rotate.error && <Alert>{rotate.error.message}</Alert>}
    </Card>
  );
}

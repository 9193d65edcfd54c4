/**
 * The URL of a new (or rotated) integration, shown this once: a read-only field that takes focus
 * (its note read with it), Copy, Done, and how to point the sender at it, per source.
 */
import { useEffect, useId, useRef } from 'react';
import type { CreatedIntegration, IntegrationSource } from '../../../contract/integrations.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Button } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';
import { sourceLabel } from './sources.ts';

const code = 'rounded bg-white px-1 font-mono text-xs dark:bg-slate-950';

/** Where the URL goes in the sender's own settings: one to three lines. */
function SenderHint({ source, url }: { source: IntegrationSource; url: string }) {
  switch (source) {
    case 'alertmanager':
      return (
        <>
          <p>{rich('settings.hint.alertmanager', { file: <code dir="ltr" className={code}>alertmanager.yml</code> })}</p>
          <pre dir="ltr" className="whitespace-pre-wrap break-all rounded bg-white p-2 font-mono text-xs dark:bg-slate-950">{`webhook_configs:\n  - url: '${url}'`}</pre>
        </>
      );
    case 'grafana':
      return <p>{rich('settings.hint.grafana', { webhook: <strong>Webhook</strong> })}</p>;
    case 'github':
      return (
        <p>
          {rich('settings.hint.github', {
            payloadUrl: <strong>Payload URL</strong>,
            json: (
              <code dir="ltr" className={code}>
                application/json
              </code>
            ),
            secret: <strong>Secret</strong>,
          })}
        </p>
      );
    case 'stripe':
      return <p>{rich('settings.hint.stripe', { endpointUrl: <strong>Endpoint URL</strong> })}</p>;
    case 'sentry':
      return (
        <p>{rich('settings.hint.sentry', { webhookUrl: <strong>Webhook URL</strong> })}</p>
      );
    case 'uptime-kuma':
      return <p>{rich('settings.hint.uptimeKuma', { webhook: <strong>Webhook</strong> })}</p>;
    case 'pagerduty': {
      const { origin, pathname } = new URL(url);
      return (
        <p>
          {rich('settings.hint.pagerduty', {
            origin: (
              <code dir="ltr" className={code}>
                {origin}
              </code>
            ),
            key: (
              <code dir="ltr" className={code}>
                routing_key
              </code>
            ),
            token: (
              <code dir="ltr" className={`${code} break-all`}>
                {pathname.slice(pathname.lastIndexOf('/') + 1)}
              </code>
            ),
          })}
        </p>
      );
    }
  }
}

export function IntegrationUrl({ created, rotated, onDone }: { created: CreatedIntegration; rotated: boolean; onDone: () => void }) {
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  const source = sourceLabel(created.source);
  // Focus lands on the URL (selected), wherever the create or rotate was pressed from.
  useEffect(() => {
    field.current?.focus();
  }, []);
  return (
    <div className="flex flex-col gap-2 rounded-lg bg-emerald-50 p-3 text-sm ring-1 ring-emerald-200 dark:bg-emerald-950/50 dark:ring-emerald-900">
      <label htmlFor={id} className="font-medium">
        {t(rotated ? 'settings.integrations.newUrlFor' : 'settings.integrations.urlFor', { source })}
      </label>
      <p id={`${id}-note`} className="text-slate-700 dark:text-slate-300">
        {t(rotated ? 'settings.integrations.urlNoteRotated' : 'settings.integrations.urlNote')}
      </p>
      <div className="flex gap-2">
        <input
          ref={field}
          id={id}
          readOnly
          dir="ltr"
          aria-describedby={`${id}-note`}
          value={created.url}
          onFocus={(e) => e.currentTarget.select()}
          className="min-h-11 min-w-0 flex-1 rounded-lg bg-white px-2 font-mono text-sm ring-1 ring-slate-300 dark:bg-slate-950 dark:ring-slate-700"
        />
        <CopyButton text={created.url} what={t('settings.integrations.copyWhat')} className="px-4 ring-1 ring-slate-300 dark:ring-slate-700" />
      </div>
      <div className="flex flex-col gap-1 text-slate-700 dark:text-slate-300">
        <SenderHint source={created.source} url={created.url} />
      </div>
      <Button className="self-start" onClick={onDone}>
        {t('settings.common.done')}
      </Button>
    </div>
  );
}

/**
 * The URL of a new (or rotated) integration, shown this once: a read-only field that takes focus
 * (its note read with it), Copy, Done, and how to point the sender at it, per source.
 */
import { useEffect, useId, useRef } from 'react';
import { type CreatedIntegration, type IntegrationSource, SOURCE_INFO } from '../../../contract/integrations.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Button } from '../../components/ui.tsx';

const code = 'rounded bg-white px-1 font-mono text-xs dark:bg-slate-950';

/** Where the URL goes in the sender's own settings: one to three lines. */
function SenderHint({ source, url }: { source: IntegrationSource; url: string }) {
  switch (source) {
    case 'alertmanager':
      return (
        <>
          <p>In <code className={code}>alertmanager.yml</code>, under your receiver:</p>
          <pre className="whitespace-pre-wrap break-all rounded bg-white p-2 font-mono text-xs dark:bg-slate-950">{`webhook_configs:\n  - url: '${url}'`}</pre>
        </>
      );
    case 'grafana':
      return <p>Alerting → Contact points → Add contact point: integration <strong>Webhook</strong>, URL this one, method POST.</p>;
    case 'github':
      return (
        <p>
          Repository (or organization) Settings → Webhooks → Add webhook: <strong>Payload URL</strong> this one, content type{' '}
          <code className={code}>application/json</code>, <strong>Secret</strong> the same secret you gave here.
        </p>
      );
    case 'stripe':
      return <p>Developers → Webhooks: set your endpoint's <strong>Endpoint URL</strong> to this one (the endpoint whose signing secret you gave here).</p>;
    case 'sentry':
      return (
        <p>
          Settings → Developer Settings → Custom Integrations → New Internal Integration: <strong>Webhook URL</strong> this one; turn on Alert Rule
          Action or subscribe to Issue. (Or the legacy WebHooks plugin’s Callback URLs.)
        </p>
      );
    case 'uptime-kuma':
      return <p>Settings → Notifications → Setup Notification: type <strong>Webhook</strong>, Post URL this one, request body JSON (application/json).</p>;
    case 'pagerduty': {
      const { origin, pathname } = new URL(url);
      return (
        <p>
          Use as an Events API v2 endpoint: base URL <code className={code}>{origin}</code> with <code className={code}>routing_key</code> ={' '}
          <code className={`${code} break-all`}>{pathname.slice(pathname.lastIndexOf('/') + 1)}</code> (the token after the last slash).
        </p>
      );
    }
  }
}

export function IntegrationUrl({ created, rotated, onDone }: { created: CreatedIntegration; rotated: boolean; onDone: () => void }) {
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  const { label } = SOURCE_INFO[created.source];
  // Focus lands on the URL (selected), wherever the create or rotate was pressed from.
  useEffect(() => {
    field.current?.focus();
  }, []);
  return (
    <div className="flex flex-col gap-2 rounded-lg bg-emerald-50 p-3 text-sm ring-1 ring-emerald-200 dark:bg-emerald-950/50 dark:ring-emerald-900">
      <label htmlFor={id} className="font-medium">
        {rotated ? `New URL for ${label}` : `URL for ${label}`}
      </label>
      <p id={`${id}-note`} className="text-slate-700 dark:text-slate-300">
        {rotated ? 'The old URL no longer works. ' : ''}Copy it now: it is shown only once.
      </p>
      <div className="flex gap-2">
        <input
          ref={field}
          id={id}
          readOnly
          aria-describedby={`${id}-note`}
          value={created.url}
          onFocus={(e) => e.currentTarget.select()}
          className="min-h-11 min-w-0 flex-1 rounded-lg bg-white px-2 font-mono text-sm ring-1 ring-slate-300 dark:bg-slate-950 dark:ring-slate-700"
        />
        <CopyButton text={created.url} what="URL" className="px-4 ring-1 ring-slate-300 dark:ring-slate-700" />
      </div>
      <div className="flex flex-col gap-1 text-slate-700 dark:text-slate-300">
        <SenderHint source={created.source} url={created.url} />
      </div>
      <Button className="self-start" onClick={onDone}>
        Done
      </Button>
    </div>
  );
}

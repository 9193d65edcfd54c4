import { useId, useState } from 'react';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Alert, Button, TextField } from '../../components/ui.tsx';
import { useStore } from '../../lib/store.ts';
import { keyMadeHere } from '../settings/keyMadeHere.ts';
import { useCreateApiKey } from '../settings/api.ts';
import { useProjectRole } from '../projects/api.ts';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';

/** The first key, made right here: the snippets below fill it in (admins; a key writes into this project only). */
function CreateKeyInline() {
  const create = useCreateApiKey();
  const [name, setName] = useState(() => t('feed.empty.keyDefault'));
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) create.mutate({ name: name.trim() });
      }}
    >
      <div className="min-w-[12rem] flex-1">
        <TextField label={t('feed.empty.keyName')} value={name} maxLength={64} required onChange={(e) => setName(e.target.value)} />
      </div>
      <Button type="submit" tone="primary" disabled={create.isPending}>
        {create.isPending ? t('feed.empty.creating') : t('feed.empty.createKey')}
      </Button>
      {create.error && <Alert>{t('feed.empty.createFailed', { message: create.error.message })}</Alert>}
    </form>
  );
}

/** A snippet that scrolls inside its box (a tab stop, so the keyboard can scroll it) and copies whole. */
function Snippet({ title, code }: { title: string; code: string }) {
  const captionId = useId();
  return (
    <figure className="flex min-w-0 flex-col gap-1">
      <div className="flex items-center justify-between gap-2">
        <figcaption id={captionId} className="text-sm font-medium">
          {title}
        </figcaption>
        <CopyButton text={code} what={title} />
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a box that scrolls sideways must be reachable by keyboard to scroll it */}
      <section tabIndex={0} aria-labelledby={captionId} className="overflow-x-auto rounded-lg bg-slate-900 p-3 dark:bg-black">
        <pre dir="ltr" className="font-mono text-xs leading-5 text-slate-100">{code}</pre>
      </section>
    </figure>
  );
}

/** The first run: what to paste to send the first event to this server. */
export function EmptyState({ test }: { test: boolean }) {
  const origin = location.origin;
  const made = useStore(keyMadeHere);
  const admin = useProjectRole() === 'admin';
  const key = made?.key ?? 'YOUR_API_KEY';
  const body = JSON.stringify({ name: 'New signup', avatar: '🎉', category: 'signups', content: 'jane@example.com signed up', ...(test ? { test: true } : {}) });
  const curl = `curl -X POST ${origin}/api/v1/log \\
  -H "Authorization: Bearer ${key}" \\
  -H "Content-Type: application/json" \\
  -d '${body}'`;
  const sdk = `import Operational from "@operational.co/sdk";

const ops = new Operational("${key}", { baseUrl: "${origin}"${test ? ', test: true' : ''} });
await ops.events.ingest({ name: "New signup", avatar: "🎉" });`;
  return (
    <section id="send-first-event" aria-labelledby="empty-title" className="flex flex-col gap-4 rounded-xl border border-dashed border-slate-300 p-5 dark:border-slate-700">
      <div>
        <h2 id="empty-title" className="text-lg font-semibold">
          {test ? t('feed.empty.titleTest') : t('feed.empty.title')}
        </h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          {t('feed.empty.intro')}{' '}
          {made ? rich('feed.empty.made', { name: <span className="font-medium">{made.name}</span> }) : admin ? t('feed.empty.admin') : t('feed.empty.ask')}{' '}
          {t('feed.empty.arrive')}
        </p>
      </div>
      {admin && !made && <CreateKeyInline />}
      <Snippet title="curl" code={curl} />
      <Snippet title={t('feed.empty.sdk')} code={sdk} />
    </section>
  );
}

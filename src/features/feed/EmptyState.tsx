import { useId } from 'react';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Link } from '../../lib/router.tsx';
import { useStore } from '../../lib/store.ts';
import { useAuthStatus } from '../auth/api.ts';
import { keyMadeHere } from '../settings/keyMadeHere.ts';
import { useProjectHref } from '../projects/current.ts';

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
        <pre className="font-mono text-xs leading-5 text-slate-100">{code}</pre>
      </section>
    </figure>
  );
}

/** The first run: what to paste to send the first event to this server. */
export function EmptyState({ test }: { test: boolean }) {
  const href = useProjectHref();
  const origin = location.origin;
  const made = useStore(keyMadeHere);
  const owner = useAuthStatus().data?.user?.role === 'owner';
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
          {test ? 'No test events yet' : 'No events yet'}
        </h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          Send your first event from your app.{' '}
          {made ? (
            <>
              These use the key <span className="font-medium">{made.name}</span> you just made: paste one as it is.
            </>
          ) : owner ? (
            <>
              <Link href={href('/settings')} className="font-medium text-sky-800 underline dark:text-sky-300">
                Create an API key
              </Link>{' '}
              (Settings → API keys) and the snippets below fill it in; or put one of yours in place of YOUR_API_KEY.
            </>
          ) : (
            <>Ask the owner of this Switchboard for an API key and put it in place of YOUR_API_KEY.</>
          )}{' '}
          Events appear here as they arrive.
        </p>
      </div>
      <Snippet title="curl" code={curl} />
      <Snippet title="Operational's JavaScript SDK (only the base URL changes)" code={sdk} />
    </section>
  );
}

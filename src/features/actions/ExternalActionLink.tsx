import type { ActionDto } from '../../../contract/api.ts';
import { isHttpUrl } from '../../../contract/text.ts';

function LinkIcon() {
  return (
    <svg data-icon="external-link" aria-hidden="true" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.8" className="size-4 shrink-0">
      <path d="M11 3h6v6M17 3l-8 8M8 5H5a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2v-3" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** An external action: a plain link that opens in a new tab. The server never calls it; no confirm. */
export function ExternalActionLink({ action }: { action: ActionDto }) {
  if (!isHttpUrl(action.url)) return null;
  return (
    <a
      href={action.url}
      target="_blank"
      rel="noopener noreferrer"
      className="inline-flex min-h-11 items-center gap-2 rounded-lg bg-white px-4 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800"
    >
      {action.buttonText}
      <LinkIcon />
    </a>
  );
}

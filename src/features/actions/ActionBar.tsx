import type { EventDto } from '../../../contract/api.ts';
import { ExternalActionLink } from './ExternalActionLink.tsx';
import { WebhookActionButton } from './WebhookActionButton.tsx';

/** The event's actions: webhook buttons (confirm first) and external links. */
export function ActionBar({ event }: { event: EventDto }) {
  if (event.actions.length === 0) return null;
  const links = event.actions.filter((a) => a.external);
  const hooks = event.actions.filter((a) => !a.external);
  return (
    <fieldset aria-label="Actions" className="flex min-w-0 flex-col gap-2 border-t border-slate-100 pt-3 dark:border-slate-800">
      {hooks.map((a) => (
        <WebhookActionButton key={a.key} event={event} action={a} />
      ))}
      {links.length > 0 && (
        <div className="flex flex-wrap gap-2">
          {links.map((a) => (
            <ExternalActionLink key={a.key} action={a} />
          ))}
        </div>
      )}
    </fieldset>
  );
}

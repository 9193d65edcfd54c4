/** Settings → Notifications for this project: pushes on or off, and the categories muted. */
import { Alert, Card } from '../../components/ui.tsx';
import { useCategories } from '../feed/api.ts';
import { useNotificationChoices } from './manage.ts';

export function ProjectNotifications({ slug, projectName }: { slug: string; projectName: string }) {
  const { query, save } = useNotificationChoices(slug);
  const categories = useCategories(slug, false);
  const choices = save.isPending && save.variables ? save.variables : query.data;
  const known = [...new Set([...(categories.data ?? []).map((c) => c.category), ...(choices?.muted ?? [])])];
  return (
    <Card className="flex flex-col gap-3">
      <div>
        <h2 className="text-lg font-semibold">Notifications for {projectName}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">Which of this project's events with <code>"notify": true</code> reach your devices.</p>
      </div>
      {query.isError && <Alert>Could not load your choices: {query.error.message}</Alert>}
      {choices && (
        <>
          <label className="flex min-h-11 items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              className="size-5"
              checked={choices.enabled}
              onChange={(e) => save.mutate({ ...choices, enabled: e.target.checked })}
            />
            Push notifications from {projectName}
          </label>
          {known.length > 0 && (
            <fieldset disabled={!choices.enabled} className="flex flex-col gap-1 disabled:opacity-60">
              <legend className="text-sm font-medium">Muted categories</legend>
              <div className="flex flex-wrap gap-x-4">
                {known.map((c) => (
                  <label key={c} className="flex min-h-11 items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="size-5"
                      checked={choices.muted.includes(c)}
                      onChange={(e) => save.mutate({ ...choices, muted: e.target.checked ? [...choices.muted, c] : choices.muted.filter((m) => m !== c) })}
                    />
                    Mute {c}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
        </>
      )}
      {save.error && <Alert>{save.error.message}</Alert>}
    </Card>
  );
}

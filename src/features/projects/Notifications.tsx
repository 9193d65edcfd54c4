/** Settings → Notifications for this project: pushes on or off, and the categories muted. */
import { Alert, Card } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { useCategories } from '../feed/api.ts';
import { rich } from '../../i18n/rich.tsx';
import { useNotificationChoices } from './manage.ts';

export function ProjectNotifications({ slug, projectName }: { slug: string; projectName: string }) {
  const { query, save } = useNotificationChoices(slug);
  const categories = useCategories(slug, false);
  const choices = save.isPending && save.variables ? save.variables : query.data;
  const known = [...new Set([...(categories.data ?? []).map((c) => c.category), ...(choices?.muted ?? [])])];
  return (
    <Card className="flex flex-col gap-3">
      <div>
        <h2 className="text-lg font-semibold">{t('settings.projectNotifications.title', { project: projectName })}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">{rich('settings.projectNotifications.intro', { notify: <code dir="ltr">"notify": true</code> })}</p>
      </div>
      {query.isError && <Alert>{t('settings.projectNotifications.loadFailed', { error: query.error.message })}</Alert>}
      {choices && (
        <>
          <label className="flex min-h-11 items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              className="size-5"
              checked={choices.enabled}
              onChange={(e) => save.mutate({ ...choices, enabled: e.target.checked })}
            />
            {t('settings.projectNotifications.push', { project: projectName })}
          </label>
          {known.length > 0 && (
            <fieldset disabled={!choices.enabled} className="flex flex-col gap-1 disabled:opacity-60">
              <legend className="text-sm font-medium">{t('settings.projectNotifications.muted')}</legend>
              <div className="flex flex-wrap gap-x-4">
                {known.map((c) => (
                  <label key={c} className="flex min-h-11 items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="size-5"
                      checked={choices.muted.includes(c)}
                      onChange={(e) => save.mutate({ ...choices, muted: e.target.checked ? [...choices.muted, c] : choices.muted.filter((m) => m !== c) })}
                    />
                    {t('settings.projectNotifications.mute', { category: c })}
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

/**
 * At the top of a project's feed while its presses are frozen: who froze them and when, and for its
 * admins the way to Settings → Policy. The policy is asked for again every 30 s and whenever the
 * window comes back, so a freeze (or its end) reaches every open screen.
 */
import { relativeTime, absoluteTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { goToSection } from '../onboarding/goTo.ts';
import { useProjectRole } from '../projects/api.ts';
import { projectHref } from '../projects/current.ts';
import { usePolicy } from './api.ts';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';

export function FrozenBanner({ slug }: { slug: string }) {
  const policy = usePolicy(slug, { watch: true }).data;
  const admin = useProjectRole() === 'admin';
  const now = useNow();
  if (!policy?.freeze) return null;
  const frozen = policy.frozen;
  const settings = projectHref(slug, '/settings');
  return (
    <div
      role="status"
      aria-label={t('core.frozen.label')}
      className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg bg-amber-50 px-3 py-1.5 text-sm text-amber-950 ring-1 ring-amber-300 dark:bg-amber-950/60 dark:text-amber-50 dark:ring-amber-800"
    >
      <p className="min-w-0 flex-1 py-1">
        <span className="font-semibold">{t('core.frozen.title')}</span>
        {frozen && (
          <>
            {' '}
            {rich(
              'core.frozen.by',
              {
                when: (
                  <time dateTime={frozen.at} title={absoluteTime(Date.parse(frozen.at))}>
                    {relativeTime(Date.parse(frozen.at), now)}
                  </time>
                ),
              },
              { who: frozen.by.email },
            )}
          </>
        )}
      </p>
      {admin && (
        <a
          href={`${settings}#policy`}
          onClick={goToSection(settings, 'policy')}
          className="inline-flex min-h-11 items-center font-medium text-amber-950 underline underline-offset-2 dark:text-amber-50"
        >
          {t('core.frozen.settings')}
        </a>
      )}
    </div>
  );
}

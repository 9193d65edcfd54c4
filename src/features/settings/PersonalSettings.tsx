/** Settings → Personal: what is yours in every project — the display, this device (install, push), your account. */
import { Card } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { AccountCard } from '../auth/AccountCard.tsx';
import { setDensity, useCompact } from '../feed/density.ts';
import { InstallCard } from '../install/InstallCard.tsx';
import { PushSettings } from '../push/PushSettings.tsx';
import { PasskeysCard } from '../passkeys/PasskeysCard.tsx';
import { type NavPart, PartHeading } from './SettingsNav.tsx';

/** Its part of the sub-navigation (made at render: its labels are in the current language). */
export const personalPart = (): NavPart => ({
  id: 'personal',
  label: t('settings.personal.title'),
  sections: [
    { id: 'display', label: t('settings.display.title') },
    { id: 'this-device', label: t('settings.thisDevice') },
    { id: 'account', label: t('settings.account.title') },
  ],
});

/** How dense the feed is, remembered on this device. */
function DisplaySettings() {
  const compact = useCompact();
  return (
    <Card className="flex flex-wrap items-center justify-between gap-3">
      <div className="min-w-0 flex-1 basis-80">
        <h2 id="display" className="text-lg font-semibold">{t('settings.display.title')}</h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t('settings.display.text')}</p>
      </div>
      <button
        type="button"
        role="switch"
        aria-checked={compact}
        onClick={() => setDensity(compact ? 'comfortable' : 'compact')}
        className="flex min-h-11 items-center gap-2 rounded-lg bg-white px-3 text-sm font-medium text-slate-800 ring-1 ring-slate-300 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700"
      >
        <span aria-hidden="true" className={`relative h-5 w-9 rounded-full transition-colors ${compact ? 'bg-sky-700 dark:bg-sky-400' : 'bg-slate-300 dark:bg-slate-600'}`}>
          <span className={`absolute top-0.5 size-4 rounded-full bg-white transition-all ${compact ? 'start-4.5' : 'start-0.5'}`} />
        </span>
        {t('settings.display.compact')}
      </button>
    </Card>
  );
}

export function PersonalSettings() {
  return (
    <section id="personal" aria-labelledby="personal-title" className="flex flex-col gap-4">
      <PartHeading id="personal-title" title={t('settings.personal.title')}>
        {t('settings.personal.intro')}
      </PartHeading>
      <DisplaySettings />
      <div id="this-device" className="flex flex-col gap-4">
        <InstallCard />
        <PushSettings />
      </div>
      <AccountCard />
      <PasskeysCard />
    </section>
  );
}

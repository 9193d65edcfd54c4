/** Settings → Personal: what is yours in every project — the display, this device (install, push), your account. */
import { Card } from '../../components/ui.tsx';
import { AccountCard } from '../auth/AccountCard.tsx';
import { setDensity, useCompact } from '../feed/density.ts';
import { InstallCard } from '../install/InstallCard.tsx';
import { PushSettings } from '../push/PushSettings.tsx';
import { PasskeysCard } from '../passkeys/PasskeysCard.tsx';
import { type NavPart, PartHeading } from './SettingsNav.tsx';

export const PERSONAL: NavPart = {
  id: 'personal',
  label: 'Personal',
  sections: [
    { id: 'display', label: 'Display' },
    { id: 'this-device', label: 'This device' },
    { id: 'account', label: 'Account' },
  ],
};

/** How dense the feed is, remembered on this device. */
function DisplaySettings() {
  const compact = useCompact();
  return (
    <Card className="flex flex-wrap items-center justify-between gap-3">
      <div className="min-w-0 flex-1 basis-80">
        <h2 id="display" className="text-lg font-semibold">Display</h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">A compact list shows about twice as many events: on a wide screen one line each, the open event beside them; on a phone one line of content and the actions in a row. Until you choose, wide screens are compact.</p>
      </div>
      <button
        type="button"
        role="switch"
        aria-checked={compact}
        onClick={() => setDensity(compact ? 'comfortable' : 'compact')}
        className="flex min-h-11 items-center gap-2 rounded-lg bg-white px-3 text-sm font-medium text-slate-800 ring-1 ring-slate-300 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700"
      >
        <span aria-hidden="true" className={`relative h-5 w-9 rounded-full transition-colors ${compact ? 'bg-sky-700 dark:bg-sky-400' : 'bg-slate-300 dark:bg-slate-600'}`}>
          <span className={`absolute top-0.5 size-4 rounded-full bg-white transition-all ${compact ? 'left-4.5' : 'left-0.5'}`} />
        </span>
        Compact list
      </button>
    </Card>
  );
}

export function PersonalSettings() {
  return (
    <section id="personal" aria-labelledby="personal-title" className="flex flex-col gap-4">
      <PartHeading id="personal-title" title="Personal">
        Yours, in every project: how the app looks and behaves on this device, and your account.
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

import { Alert, Button, Card } from '../../components/ui.tsx';
import { t } from '../../i18n/i18n.ts';
import { isIosSafari } from '../../lib/device.ts';
import { relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { isStandalone } from '../install/installPrompt.ts';
import { rich } from '../../i18n/rich.tsx';
import { QuietHours } from './QuietHours.tsx';
import { pushSupported, thisDeviceId, useDevices, useEnablePush, useRemoveDevice, useSendTestPush } from './api.ts';

function EnableOnThisDevice() {
  const enable = useEnablePush();
  if (isIosSafari(navigator.userAgent) && !isStandalone()) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">{t('settings.push.iosFirst')}</p>;
  }
  if (!pushSupported()) return <p className="text-sm text-slate-600 dark:text-slate-400">{t('settings.push.unsupported')}</p>;
  if (Notification.permission === 'denied') {
    return <p className="text-sm text-slate-600 dark:text-slate-400">{t('settings.push.blockedHere')}</p>;
  }
  return (
    <div className="flex flex-col gap-2">
      <Button tone="primary" className="w-fit" disabled={enable.isPending} onClick={() => enable.mutate()}>
        {enable.isPending ? t('settings.push.turningOn') : t('settings.push.turnOn')}
      </Button>
      {enable.error && <Alert>{enable.error.message}</Alert>}
    </div>
  );
}

/** Notifications: this device on or off, the account's devices, and a test. */
export function PushSettings() {
  const now = useNow();
  const devices = useDevices();
  const remove = useRemoveDevice();
  const test = useSendTestPush();
  const mine = thisDeviceId();
  const list = devices.data ?? [];
  const thisOneOn = list.some((d) => d.id === mine);
  return (
    <Card className="flex flex-col gap-4">
      <div>
        <h2 className="text-lg font-semibold">{t('settings.notifications.title')}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {rich('settings.push.intro', { notify: <code dir="ltr">"notify": true</code> })}
        </p>
      </div>
      {!thisOneOn && <EnableOnThisDevice />}
      {devices.isError && <Alert>{t('settings.push.loadFailed', { error: devices.error.message })}</Alert>}
      {list.length > 0 && (
        <ul aria-label={t('settings.push.devices')} className="divide-y divide-slate-100 dark:divide-slate-800">
          {list.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center gap-3 py-2">
              <div className="min-w-0 flex-1">
                <p className="font-medium">
                  {d.deviceName}
                  {d.id === mine && <span className="ms-2 text-xs font-normal text-emerald-700 dark:text-emerald-400">{t('settings.push.thisDevice')}</span>}
                </p>
                <p className="text-xs text-slate-500 dark:text-slate-400">{t('settings.push.lastSeen', { when: relativeTime(Date.parse(d.lastSeenAt), now) })}</p>
              </div>
              <Button onClick={() => remove.mutate(d.id)} disabled={remove.isPending} aria-label={t('settings.common.removeNamed', { name: d.deviceName })}>
                {t('settings.common.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {list.length > 0 && (
        <div className="flex flex-wrap items-center gap-3">
          <Button onClick={() => test.mutate()} disabled={test.isPending}>
            {test.isPending ? t('settings.push.sending') : t('settings.push.sendTest')}
          </Button>
          <span role="status" className="text-sm text-slate-600 dark:text-slate-400">
            {test.data ? t('settings.push.sent', { count: test.data.devices }) : ''}
          </span>
        </div>
      )}
      {(remove.error || test.error) && <Alert>{(remove.error ?? test.error)?.message}</Alert>}
      <QuietHours />
    </Card>
  );
}

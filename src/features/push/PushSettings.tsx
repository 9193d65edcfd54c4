import { Alert, Button, Card } from '../../components/ui.tsx';
import { isIosSafari } from '../../lib/device.ts';
import { relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { isStandalone } from '../install/installPrompt.ts';
import { QuietHours } from './QuietHours.tsx';
import { pushSupported, thisDeviceId, useDevices, useEnablePush, useRemoveDevice, useSendTestPush } from './api.ts';

function EnableOnThisDevice() {
  const enable = useEnablePush();
  if (isIosSafari(navigator.userAgent) && !isStandalone()) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">On iPhone and iPad, add Switchboard to the home screen first (see Install the app): iOS sends notifications only to installed apps.</p>;
  }
  if (!pushSupported()) return <p className="text-sm text-slate-600 dark:text-slate-400">This browser cannot receive push notifications.</p>;
  if (Notification.permission === 'denied') {
    return <p className="text-sm text-slate-600 dark:text-slate-400">Notifications are blocked for this site. Allow them in the browser’s site settings to turn them on.</p>;
  }
  return (
    <div className="flex flex-col gap-2">
      <Button tone="primary" className="w-fit" disabled={enable.isPending} onClick={() => enable.mutate()}>
        {enable.isPending ? 'Turning on…' : 'Turn on notifications for this device'}
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
        <h2 className="text-lg font-semibold">Notifications</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Events sent with <code>"notify": true</code> are pushed to every device listed here (never test events).
        </p>
      </div>
      {!thisOneOn && <EnableOnThisDevice />}
      {devices.isError && <Alert>Could not load your devices: {devices.error.message}</Alert>}
      {list.length > 0 && (
        <ul aria-label="Devices" className="divide-y divide-slate-100 dark:divide-slate-800">
          {list.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center gap-3 py-2">
              <div className="min-w-0 flex-1">
                <p className="font-medium">
                  {d.deviceName}
                  {d.id === mine && <span className="ml-2 text-xs font-normal text-emerald-700 dark:text-emerald-400">this device</span>}
                </p>
                <p className="text-xs text-slate-500 dark:text-slate-400">last seen {relativeTime(Date.parse(d.lastSeenAt), now)}</p>
              </div>
              <Button onClick={() => remove.mutate(d.id)} disabled={remove.isPending} aria-label={`Remove ${d.deviceName}`}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      {list.length > 0 && (
        <div className="flex flex-wrap items-center gap-3">
          <Button onClick={() => test.mutate()} disabled={test.isPending}>
            {test.isPending ? 'Sending…' : 'Send test notification'}
          </Button>
          <span role="status" className="text-sm text-slate-600 dark:text-slate-400">
            {test.data ? `Sent to ${test.data.devices} ${test.data.devices === 1 ? 'device' : 'devices'}.` : ''}
          </span>
        </div>
      )}
      {(remove.error || test.error) && <Alert>{(remove.error ?? test.error)?.message}</Alert>}
      <QuietHours />
    </Card>
  );
}

import { Button, Card } from '../../components/ui.tsx';
import { isIosSafari } from '../../lib/device.ts';
import { useStore } from '../../lib/store.ts';
import { installPrompt, isStandalone, promptInstall } from './installPrompt.ts';

/**
 * Install on the home screen or desktop: the browser's prompt where it offers one, steps on iOS, and
 * otherwise what to do instead (the browser's own menu) — never a card that silently vanishes.
 */
export function InstallCard() {
  const prompt = useStore(installPrompt);
  const ios = isIosSafari(navigator.userAgent);
  if (isStandalone()) {
    return (
      <Card>
        <h2 className="text-lg font-semibold">Installed</h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">You are using the installed app.</p>
      </Card>
    );
  }
  if (!prompt && !ios) {
    return (
      <Card className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">Install the app</h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          This browser has not offered to install Switchboard here. If it is installed already, open it from your home screen,
          dock or app list. Otherwise use the browser’s own menu: in Chrome and Edge, <span className="font-medium">Install Switchboard</span>{' '}
          (or the install icon in the address bar); on Android, <span className="font-medium">Add to Home screen</span>.
        </p>
      </Card>
    );
  }
  return (
    <Card className="flex flex-col gap-3">
      <div>
        <h2 className="text-lg font-semibold">Install the app</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Open Switchboard from your home screen or dock like any app, and get notifications on this device.
        </p>
      </div>
      {prompt ? (
        <Button tone="primary" className="w-fit" onClick={() => void promptInstall()}>
          Install app
        </Button>
      ) : (
        <ol className="list-decimal pl-5 text-sm text-slate-700 dark:text-slate-300">
          <li>
            Tap <span className="font-medium">Share</span> <span aria-hidden="true">(the square with an arrow)</span> in Safari.
          </li>
          <li>
            Choose <span className="font-medium">Add to Home Screen</span>.
          </li>
          <li>Open Switchboard from the home screen: iOS sends notifications only to installed apps.</li>
        </ol>
      )}
    </Card>
  );
}

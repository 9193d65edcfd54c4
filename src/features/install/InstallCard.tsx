import { Button, Card } from '../../components/ui.tsx';
import { isIosSafari } from '../../lib/device.ts';
import { useStore } from '../../lib/store.ts';
import { installPrompt, isStandalone, promptInstall } from './installPrompt.ts';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';

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
        <h2 className="text-lg font-semibold">{t('feed.install.installed')}</h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t('feed.install.using')}</p>
      </Card>
    );
  }
  if (!prompt && !ios) {
    return (
      <Card className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">{t('feed.install.title')}</h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {rich('feed.install.notOffered', {
            chrome: <span className="font-medium">{t('feed.install.chromeItem')}</span>,
            android: <span className="font-medium">{t('feed.install.androidItem')}</span>,
          })}
        </p>
      </Card>
    );
  }
  return (
    <Card className="flex flex-col gap-3">
      <div>
        <h2 className="text-lg font-semibold">{t('feed.install.title')}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('feed.install.pitch')}</p>
      </div>
      {prompt ? (
        <Button tone="primary" className="w-fit" onClick={() => void promptInstall()}>
          {t('feed.install.button')}
        </Button>
      ) : (
        <ol className="list-decimal ps-5 text-sm text-slate-700 dark:text-slate-300">
          <li>
            {rich('feed.install.ios1', {
              share: <span className="font-medium">{t('feed.install.iosShare')}</span>,
              icon: <span aria-hidden="true">{t('feed.install.iosIcon')}</span>,
            })}
          </li>
          <li>{rich('feed.install.ios2', { add: <span className="font-medium">{t('feed.install.iosAdd')}</span> })}</li>
          <li>{t('feed.install.ios3')}</li>
        </ol>
      )}
    </Card>
  );
}

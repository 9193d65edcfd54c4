import { useState } from 'react';
import { isHttpUrl } from '../../../../contract/text.ts';
import { useRemoteImages } from '../../auth/api.ts';
import { t } from '../../../i18n/i18n.ts';
import { rich } from '../../../i18n/rich.tsx';

/**
 * An image from an http(s) URL: lazy, bounded, loaded without a referrer. With REMOTE_IMAGES=tap it
 * waits for a tap on a button that names the host it comes from (loading it tells that host who looked).
 */
export function ImageContent({ url, alt }: { url: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  const [shown, setShown] = useState(useRemoteImages() === 'load');
  if (!isHttpUrl(url)) return null;
  if (!shown) {
    return (
      <button
        type="button"
        onClick={() => setShown(true)}
        className="flex min-h-11 w-fit items-center gap-2 rounded-lg border border-dashed border-slate-400 px-3 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:border-slate-500 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        <span aria-hidden="true">🖼️</span>
        <span>
          {rich('feed.imageShow', { host: <span dir="ltr" className="font-medium">{new URL(url).host}</span> })}
          {alt ? <span className="sr-only">{t('feed.imageAlt', { alt })}</span> : null}
        </span>
      </button>
    );
  }
  if (failed) {
    return (
      <p className="text-sm text-slate-500">
        {t('feed.imageFailed')}{' '}
        <a dir="ltr" href={url} target="_blank" rel="noopener noreferrer nofollow" className="break-all underline">
          {url}
        </a>
      </p>
    );
  }
  return (
    <a href={url} target="_blank" rel="noopener noreferrer nofollow" className="block w-fit">
      <img
        src={url}
        alt={alt}
        loading="lazy"
        decoding="async"
        referrerPolicy="no-referrer"
        onError={() => setFailed(true)}
        className="max-h-72 max-w-full rounded-lg border border-slate-200 object-contain dark:border-slate-800"
      />
    </a>
  );
}

import { useState } from 'react';
import { isHttpUrl } from '../../../../contract/text.ts';

/** An image from an http(s) URL: lazy, bounded, loaded without a referrer. */
export function ImageContent({ url, alt }: { url: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  if (!isHttpUrl(url)) return null;
  if (failed) {
    return (
      <p className="text-sm text-slate-500">
        Image could not be loaded:{' '}
        <a href={url} target="_blank" rel="noopener noreferrer nofollow" className="break-all underline">
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

import { useState } from 'react';
import { isHttpUrl } from '../../../contract/text.ts';
import { useRemoteImages } from '../auth/api.ts';

/**
 * The event's avatar: an emoji, a few letters, or an image from an http(s) URL (a plain dot instead when
 * remote images load only on a tap: an avatar is too small to offer one). Decorative.
 */
export function Avatar({ value, size = 'lg' }: { value: string | null; size?: 'lg' | 'sm' }) {
  const [broken, setBroken] = useState(false);
  const remoteImages = useRemoteImages();
  const box = size === 'lg' ? 'size-12 text-3xl' : 'size-8 text-lg';
  const base = `${box} flex shrink-0 items-center justify-center overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800 select-none`;
  if (value && isHttpUrl(value) && !broken && remoteImages === 'load') {
    return (
      <span className={base} aria-hidden="true">
        <img src={value} alt="" referrerPolicy="no-referrer" loading="lazy" decoding="async" className="size-full object-cover" onError={() => setBroken(true)} />
      </span>
    );
  }
  if (value && !isHttpUrl(value)) {
    const short = [...value].length > 2;
    return (
      // An emoji goes to the colour emoji font straight away, not through the text's family list first.
      <span className={`${base} ${short ? 'text-xs font-semibold' : 'font-emoji'}`} aria-hidden="true">
        {value}
      </span>
    );
  }
  return (
    <span className={`${base} text-slate-400`} aria-hidden="true">
      <svg viewBox="0 0 24 24" className="size-1/2" fill="currentColor" aria-hidden="true">
        <circle cx="12" cy="12" r="5" />
      </svg>
    </span>
  );
}
